/**
 * Where adverts come from and go to, behind one interface: {@link
 * io.vipkeeper.vrrp.transport.VrrpTransport} (one interface and address family, callbacks on the
 * VRRP event loop), the received-datagram record, the conversion of a kernel receive timestamp into
 * an age the monotonic timers can use, and {@link io.vipkeeper.vrrp.transport.InMemoryNetwork}, a
 * lossy, partitionable segment for multi-router tests on a virtual clock. The Linux implementation
 * lives in {@code linux}. May depend on {@code protocol}; it also names {@code codec.DropReason}
 * (a datagram rejected before decoding) and {@code fsm.VrrpScheduler} (the clock the in-memory
 * network delivers on), two back edges of a cycle with those packages that a later split should
 * remove. See vrrp/DESIGN.md.
 */
package io.vipkeeper.vrrp.transport;
