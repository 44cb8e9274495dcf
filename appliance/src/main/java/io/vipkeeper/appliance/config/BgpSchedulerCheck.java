package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import io.vipkeeper.appliance.dataplane.Scheduler;
import java.util.Set;

/**
 * Refuses a virtual server on a bgp VIP whose scheduler each director applies on its own (rr, wrr,
 * lc, ...): the routers move flows between directors when one goes or comes back, and only a hash
 * that every director computes alike from the same config (mh, sh, dh) sends a moved flow to the
 * real server it had. {@code bgp.allow-any-scheduler} says the operator accepts the broken flows.
 */
final class BgpSchedulerCheck {
    /** The schedulers that choose from the packet alone, the same on every director. */
    static final Set<Scheduler> SHARED = Set.of(Scheduler.MH, Scheduler.SH, Scheduler.DH);

    private BgpSchedulerCheck() {
    }

    /** Reports each such virtual server at its scheduler line, or at its block when the scheduler is the default. */
    static void check(ConfigNode vipkeeper, IpvsSettings settings, BgpSettings bgp) {
        // Without a virtual server read there is nothing to check, and reading a broken block again would report it twice.
        if (bgp.isEmpty() || bgp.allowAnyScheduler() || settings.virtualServers().isEmpty()) {
            return;
        }
        ConfigNode ipvs = vipkeeper.child("ipvs");
        for (ConfigNode.RawEntry e : ipvs.rawEntries("virtual-servers")) {
            VirtualServer vs = settings.virtualServers().get(e.name());
            if (vs == null || vs.address().isEmpty() || !bgp.vips().contains(vs.address().get())
                    || SHARED.contains(vs.scheduler()) || !(e.value() instanceof ConfigObject written)) {
                continue;
            }
            ConfigOrigin where = written.containsKey("scheduler") ? written.get("scheduler").origin() : written.origin();
            ipvs.problems().add(where, ipvs.path("virtual-servers") + "." + e.name() + ".scheduler: "
                    + vs.scheduler().configName() + " on bgp VIP " + Addresses.format(vs.address().get())
                    + ": each director would choose its own real server, so a flow that moves to another director"
                    + " (one lost or back) breaks; use mh (or sh, dh), or set vipkeeper.bgp.allow-any-scheduler = true");
        }
    }
}
