package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.config.RealServer;
import io.vipkeeper.appliance.config.VirtualServer;
import io.vipkeeper.appliance.ipvs.DestKey;
import io.vipkeeper.appliance.ipvs.DestSpec;
import io.vipkeeper.appliance.ipvs.ServiceKey;
import io.vipkeeper.appliance.ipvs.ServiceSpec;
import io.vipkeeper.appliance.ipvs.SchedulerFlag;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A service as vipkeeper wants it in the kernel: its spec and its destinations.
 *
 * @param spec the service's settable fields
 * @param dests the destinations by identity
 * @param removeNow destinations to delete at once rather than drain (failed health, the sorry
 *     server once the quorum is back), each with the reason
 */
public record DesiredService(ServiceSpec spec, Map<DestKey, DestSpec> dests, Map<DestKey, String> removeNow) {
    /** Copies the maps, keeping their order. */
    public DesiredService {
        dests = Collections.unmodifiableMap(new LinkedHashMap<>(dests));
        removeNow = Collections.unmodifiableMap(new LinkedHashMap<>(removeNow));
    }

    /** A service whose unwanted destinations all drain. */
    public DesiredService(ServiceSpec spec, Map<DestKey, DestSpec> dests) {
        this(spec, dests, Map.of());
    }

    /** The kernel destination for {@code rs} at {@code weight}. */
    static DestSpec dest(RealServer rs, int weight) {
        return new DestSpec(rs.key(), rs.forwarding(), weight, rs.upperThreshold(),
                rs.lowerThreshold(), rs.tunnel());
    }

    /** Every real server of {@code vs} at its configured weight (health comes later). */
    public static DesiredService of(VirtualServer vs) {
        Map<DestKey, DestSpec> dests = new LinkedHashMap<>();
        for (RealServer rs : vs.realServers()) {
            DestSpec d = dest(rs, rs.weight());
            dests.put(d.key(), d);
        }
        return new DesiredService(spec(vs), dests);
    }

    /** The service fields of {@code vs}. */
    public static ServiceSpec spec(VirtualServer vs) {
        int flags = 0;
        long timeout = vs.persistence().timeout().toSeconds();
        if (timeout > 0) {
            flags |= ServiceSpec.PERSISTENT;
        }
        if (vs.onePacket()) {
            flags |= ServiceSpec.ONE_PACKET;
        }
        for (SchedulerFlag f : vs.schedulerFlags()) {
            flags |= f.bit();
        }
        int prefix = vs.persistence().prefixLength();
        long netmask = vs.ipv6() ? prefix : (prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL);
        return new ServiceSpec(ServiceKey.of(vs), vs.scheduler().configName(), flags, (int) timeout, netmask);
    }
}
