/**
 * The VRRP state machine and what runs it: {@link io.vipkeeper.vrrp.fsm.VirtualRouter} (one per
 * interface, VRID and family; RFC 9568 §6.4 plus Fault, every change through one
 * {@code changeState}), its config, timers named after the RFC variables, counters, faults,
 * tracked priority, sync groups, reload succession, peer-mismatch detection, the dispatcher that
 * hands decoded adverts to routers by VRID, and the schedulers (a dedicated Netty event loop, or a
 * {@link io.vipkeeper.vrrp.fsm.VirtualClock} in tests). It acts on the world only through {@link
 * io.vipkeeper.vrrp.fsm.RouterActions} and {@link io.vipkeeper.vrrp.fsm.AddressOwner}, so it runs
 * unchanged on an in-memory network. Depends on {@code protocol}, {@code codec} and {@code
 * transport}; never on {@code linux} or the appliance. See vrrp/DESIGN.md.
 */
package io.vipkeeper.vrrp.fsm;
