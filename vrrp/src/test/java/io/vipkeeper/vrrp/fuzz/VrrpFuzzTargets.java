package io.vipkeeper.vrrp.fuzz;

import io.vipkeeper.vrrp.codec.DecoderFuzzTargets;
import io.vipkeeper.vrrp.linux.AhTransportFuzzTarget;
import io.vipkeeper.vrrp.linux.NetlinkFuzzTargets;
import io.vipkeeper.vrrp.protocol.AuthFuzzTargets;
import java.util.List;

/** Every parser of the vrrp module that reads bytes from the network or the kernel, as fuzz targets. */
public final class VrrpFuzzTargets {
    private VrrpFuzzTargets() {
    }

    /** A fresh list (targets keep no state between inputs, but seeds are built anew). */
    public static List<FuzzTarget> all() {
        return List.of(DecoderFuzzTargets.decoder(false), DecoderFuzzTargets.decoder(true),
                AuthFuzzTargets.ipsecAh(), AhTransportFuzzTarget.create(), AuthFuzzTargets.hmacTrailer(),
                AuthFuzzTargets.hmacAuth(false), AuthFuzzTargets.hmacAuth(true), NetlinkFuzzTargets.datagrams(),
                NetlinkFuzzTargets.linkInfo(), NetlinkFuzzTargets.interfaceAddresses());
    }
}
