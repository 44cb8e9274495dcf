package io.vipkeeper.vrrp.codec;

import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.transport.InboundPacket;

/** What the decoder made of a received message: an advertisement, or the reason it was dropped. */
public sealed interface DecodeResult {

    /** The packet the result is about. */
    InboundPacket packet();

    /** A well-formed advertisement; meaning checks (VRID, auth, interval) are still to come. */
    record Accepted(InboundPacket packet, VrrpAdvertisement advertisement) implements DecodeResult {
    }

    /** A malformed message. */
    record Dropped(InboundPacket packet, DropReason reason, String detail) implements DecodeResult {
    }
}
