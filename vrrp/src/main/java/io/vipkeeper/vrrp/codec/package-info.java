/**
 * Bytes to {@link io.vipkeeper.vrrp.protocol.VrrpAdvertisement} and back: a stateless decoder that
 * makes the format checks of RFC 9568 §7.1 one per step, each failure with its own
 * {@link io.vipkeeper.vrrp.codec.DropReason} (counted, never thrown), and the encoder that writes
 * the checksum. Meaning checks (our VRID, the sender's interval, authentication policy) belong to
 * the state machine in {@code fsm}. Depends on {@code protocol} and on the received-datagram
 * record of {@code transport}; never on {@code fsm} or {@code linux}. See vrrp/DESIGN.md.
 */
package io.vipkeeper.vrrp.codec;
