package io.vipkeeper.appliance.realserver;

import io.vipkeeper.appliance.config.RealServerModeSettings;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import io.vipkeeper.vrrp.linux.rtnl.Links;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A direct-routing backend's setup, applied and undone: the VIPs on lo (so it accepts the
 * traffic the load balancer forwards unchanged) and the ARP sysctls (so it never answers or
 * announces the VIPs itself, which would pull the traffic away from the load balancer). Each
 * operation is idempotent and returns the lines that say what it changed.
 */
public final class RealServerMode {
    /** What {@code up} prints when there was nothing to change. */
    static final String NOTHING_UP = "nothing to do: already up";
    /** What {@code down} prints when there was nothing to change. */
    static final String NOTHING_DOWN = "nothing to do: already down";

    private final RealServerModeSettings settings;
    private final StateFile stateFile;
    private final NetlinkSocket route;

    /** Works in the network namespace of {@code route}, which must be this process's (for /proc/sys/net). */
    public RealServerMode(RealServerModeSettings settings, Path stateFile, NetlinkSocket route) {
        this.settings = settings;
        this.stateFile = new StateFile(stateFile);
        this.route = route;
    }

    /** The state file used when none is named. */
    public static Path defaultStateFile() {
        return StateFile.DEFAULT;
    }

    /** Adds the VIPs and sets the sysctls, recording the sysctls' values from before the first {@code up}. */
    public List<String> up() {
        requireInterface();
        LoopbackVips lo = new LoopbackVips(route);
        Map<Sysctl, Integer> wanted = SysctlPlan.wanted(settings.interfaceName());
        Optional<RealServerState> before = stateFile.read();
        SysctlPlan.Up plan = SysctlPlan.up(wanted, read(wanted.keySet()),
                before.map(RealServerState::originals).orElse(Map.of()));
        Set<InetAddress> vips = new LinkedHashSet<>(before.map(RealServerState::vips).orElse(List.of()));
        vips.addAll(settings.vips());
        RealServerState after = new RealServerState(List.copyOf(vips), plan.originals());
        // Recorded before anything changes: if we stop half-way, down still knows the originals.
        if (before.isEmpty() || !before.get().equals(after)) {
            stateFile.write(after);
        }
        List<String> lines = new ArrayList<>();
        // Sysctls first: a VIP on lo while arp_ignore is still 0 would be answered for on the
        // interface, and the switch would send the load balancer's clients here.
        for (SysctlPlan.Change c : plan.changes()) {
            c.sysctl().write(c.to());
            lines.add(c.toString());
        }
        for (InetAddress vip : settings.vips()) {
            if (lo.add(vip)) {
                lines.add("added " + LoopbackVips.describe(vip) + " on " + LoopbackVips.LO);
            }
        }
        return lines.isEmpty() ? List.of(NOTHING_UP) : lines;
    }

    /** Removes the VIPs (configured and recorded), restores the recorded sysctls, deletes the state file. */
    public List<String> down() {
        LoopbackVips lo = new LoopbackVips(route);
        Optional<RealServerState> state = stateFile.read();
        Set<InetAddress> vips = new LinkedHashSet<>(settings.vips());
        state.ifPresent(s -> vips.addAll(s.vips()));
        List<String> lines = new ArrayList<>();
        // VIPs first, the reverse of up: with the ARP sysctls restored and a VIP still on lo,
        // this host would answer ARP for it.
        for (InetAddress vip : vips) {
            if (lo.remove(vip)) {
                lines.add("removed " + LoopbackVips.describe(vip) + " from " + LoopbackVips.LO);
            }
        }
        if (state.isPresent()) {
            Map<Sysctl, Integer> recorded = state.get().originals();
            Map<Sysctl, Integer> current = new LinkedHashMap<>();
            for (Sysctl s : recorded.keySet()) {
                if (s.exists()) {
                    current.put(s, s.read());
                } else {
                    lines.add(s.name() + " not restored: its interface is gone");
                }
            }
            for (SysctlPlan.Change c : SysctlPlan.down(recorded, current)) {
                c.sysctl().write(c.to());
                lines.add(c.toString());
            }
            stateFile.delete();
        }
        return lines.isEmpty() ? List.of(NOTHING_DOWN) : lines;
    }

    /** Reads what is in effect; changes nothing. */
    public RealServerStatus status() {
        requireInterface();
        LoopbackVips lo = new LoopbackVips(route);
        List<RealServerStatus.Vip> vips = new ArrayList<>();
        for (InetAddress vip : settings.vips()) {
            vips.add(new RealServerStatus.Vip(vip, lo.isPresent(vip)));
        }
        List<RealServerStatus.Setting> sysctls = new ArrayList<>();
        SysctlPlan.wanted(settings.interfaceName())
                .forEach((s, want) -> sysctls.add(new RealServerStatus.Setting(s, s.read(), want)));
        return new RealServerStatus(vips, sysctls);
    }

    private void requireInterface() {
        if (new Links(route).byName(settings.interfaceName()).isEmpty()) {
            throw new RealServerException("interface " + settings.interfaceName() + " does not exist");
        }
    }

    private static Map<Sysctl, Integer> read(Set<Sysctl> sysctls) {
        Map<Sysctl, Integer> values = new LinkedHashMap<>();
        for (Sysctl s : sysctls) {
            values.put(s, s.read());
        }
        return values;
    }
}
