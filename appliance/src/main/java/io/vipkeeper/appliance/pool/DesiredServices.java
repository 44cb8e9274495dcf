package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.config.RealServer;
import io.vipkeeper.appliance.config.VirtualServer;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.SchedulerFlag;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** The config's virtual servers in the neutral model: the desired table before health and quorum. */
public final class DesiredServices {
    private DesiredServices() {
    }

    /** The kernel destination for {@code rs} at {@code weight}. */
    static BackendSpec dest(RealServer rs, int weight) {
        return new BackendSpec(rs.key(), rs.forwarding(), weight, rs.upperThreshold(),
                rs.lowerThreshold(), rs.tunnel());
    }

    /** Every real server of {@code vs} at its configured weight (health comes later). */
    public static DesiredService of(VirtualServer vs) {
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        for (RealServer rs : vs.realServers()) {
            BackendSpec d = dest(rs, rs.weight());
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
        return new ServiceSpec(vs.key(), vs.scheduler().configName(), flags, (int) timeout, netmask);
    }
}
