package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.AuthType;
import io.vipkeeper.appliance.config.HmacConfig;
import io.vipkeeper.appliance.config.IpPrefix;
import io.vipkeeper.appliance.config.VrrpInstance;
import io.vipkeeper.vrrp.fsm.HmacMode;
import io.vipkeeper.vrrp.fsm.HmacPolicy;
import io.vipkeeper.vrrp.fsm.RouterConfig;
import io.vipkeeper.vrrp.protocol.HmacTrailer;
import io.vipkeeper.vrrp.protocol.V2AuthType;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Maps a validated {@link VrrpInstance} and its interface onto the state machine's config. */
final class RouterConfigs {
    private RouterConfigs() {
    }

    /** The router config; {@code primary} is the interface address or the unicast source. */
    static RouterConfig of(VrrpInstance i, InetAddress primary) {
        V2AuthType authType = switch (i.authentication().type()) {
            case PASS -> V2AuthType.SIMPLE_TEXT;
            case AH -> V2AuthType.IP_AH;
            case NONE, HMAC_SHA256 -> V2AuthType.NONE;
        };
        byte[] authData = i.version() == VrrpVersion.V3 ? new byte[0] : new byte[VrrpAdvertisement.V2_AUTH_DATA_LENGTH];
        if (authType == V2AuthType.SIMPLE_TEXT) {
            authData = password(i);
        }
        return new RouterConfig(i.name(), i.version(), i.virtualRouterId(), i.priority(),
                (int) (i.advertInterval().toMillis() / 10), i.preempt(), i.preemptDelay(),
                i.virtualIps().stream().map(IpPrefix::address).toList(), primary,
                i.unicastPeers(), i.unicastMinTtl(), authType, authData);
    }

    /**
     * The router's primary address until the instance is bound to its interface: the unspecified
     * address of its family (the router is in Fault then and sends nothing).
     */
    static InetAddress unbound(VrrpInstance i) {
        return io.netty.util.NetUtil.createInetAddressFromIpAddressString(i.isIpv6() ? "::" : "0.0.0.0");
    }

    /** The 8 key bytes of {@code pass} and {@code ah}: the password zero-padded (config caps it at 8). */
    static byte[] password(VrrpInstance i) {
        byte[] raw = i.authentication().secret().getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(raw, VrrpAdvertisement.V2_AUTH_DATA_LENGTH);
    }

    /**
     * The HMAC-SHA256 trailer's keys, mode and anti-replay, when the instance uses hmac-sha256
     * (validated by the reader); the window derived from the advert interval unless set.
     */
    static Optional<HmacPolicy> hmacPolicy(VrrpInstance i) {
        HmacConfig h = i.authentication().hmac();
        if (i.authentication().type() != AuthType.HMAC_SHA256 || h == null) {
            return Optional.empty();
        }
        Map<Integer, byte[]> keys = new TreeMap<>();
        h.keys().forEach((id, key) -> keys.put(id, HmacTrailer.parseKey(key).orElseThrow()));
        HmacMode mode = switch (h.mode()) {
            case RECEIVE_ONLY -> HmacMode.RECEIVE_ONLY;
            case PERMISSIVE -> HmacMode.PERMISSIVE;
            case ENFORCE -> HmacMode.ENFORCE;
        };
        int window = h.timeWindow().isZero()
                ? HmacPolicy.derivedWindow((int) (i.advertInterval().toMillis() / 10)) : (int) h.timeWindow().toSeconds();
        return Optional.of(new HmacPolicy(keys, h.activeKey(), mode, h.antiReplay() == HmacConfig.AntiReplay.TIME,
                window));
    }

    /** The AH key for the transport, when the instance uses AH. */
    static Optional<byte[]> ahKey(VrrpInstance i) {
        return i.authentication().type() == AuthType.AH ? Optional.of(password(i)) : Optional.empty();
    }
}
