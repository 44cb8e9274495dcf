package io.vipkeeper.appliance.bgp;

import io.vipkeeper.appliance.config.VirtualServer;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether this director may have a bgp VIP announced, and why: the truth table of issue 19. A VIP
 * is announced only while the daemon runs (started, not stopping), at least one virtual server
 * has the VIP as its address, the data plane's last run read and programmed the kernel, every
 * virtual server on the address is in the kernel's table, and every one of them holds its quorum.
 * All of them, not any: the routers send every port of the address here, and a port this director
 * cannot serve is better served by another director. A VIP without a virtual server on its address
 * (a fwmark service included: its mark is set outside the config, so nothing ties it to the VIP)
 * has nothing behind it, and announcing it would draw traffic this director drops.
 */
public final class AnnounceDecision {
    private AnnounceDecision() {
    }

    /** Where the daemon is in its life. */
    public enum Phase {
        /** Config read, data plane and checks starting. */
        STARTING,
        /** Started and not asked to stop. */
        RUNNING,
        /** Asked to stop: withdraw before anything else stops. */
        STOPPING
    }

    /**
     * The decision for one VIP.
     *
     * @param announce whether the VIP is on the device
     * @param reason why, in words for logs, status and events
     */
    public record Verdict(boolean announce, String reason) {
    }

    /**
     * What the data plane showed: the last table's services, and the last run's error.
     *
     * @param table the services in the kernel as last dumped; empty before the first dump
     * @param lastError why the last run could not read or program the kernel; empty after one that could
     */
    public record DataPlaneView(Optional<Set<ServiceKey>> table, Optional<String> lastError) {
        /** No data plane: the config has no virtual server. */
        public static final DataPlaneView NONE = new DataPlaneView(Optional.empty(), Optional.empty());
    }

    /**
     * Decides for {@code vip}, given the virtual servers of the config, the data plane's view, and
     * the quorum of each virtual server by name (a name missing counts as held: the pools have
     * not judged it yet only before the first run, which the table check already covers).
     */
    public static Verdict decide(InetAddress vip, Phase phase, Collection<VirtualServer> virtualServers,
            DataPlaneView dataPlane, Map<String, Boolean> quorums) {
        if (phase == Phase.STOPPING) {
            return new Verdict(false, "stopping");
        }
        if (phase == Phase.STARTING) {
            return new Verdict(false, "starting");
        }
        List<VirtualServer> mine = virtualServers.stream()
                .filter(vs -> vs.address().filter(vip::equals).isPresent()).toList();
        if (mine.isEmpty()) {
            return new Verdict(false, "no virtual server on this address");
        }
        if (dataPlane.lastError().isPresent()) {
            return new Verdict(false, "data plane failing: " + dataPlane.lastError().get());
        }
        if (dataPlane.table().isEmpty()) {
            return new Verdict(false, "data plane not programmed yet");
        }
        for (VirtualServer vs : mine) {
            if (!dataPlane.table().get().contains(vs.key())) {
                return new Verdict(false, "virtual server " + vs.name() + " not in the data plane");
            }
            if (!quorums.getOrDefault(vs.name(), true)) {
                return new Verdict(false, "virtual server " + vs.name() + " below quorum");
            }
        }
        return new Verdict(true, mine.size() == 1 ? "serving virtual server " + mine.get(0).name()
                : "serving " + mine.size() + " virtual servers");
    }
}
