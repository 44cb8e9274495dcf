package io.vipkeeper.appliance.api;

import java.util.Map;

/**
 * The counters of a {@link StatusSnapshot} for people, as keepalived's stats dump lists them: reloads,
 * then per VRRP instance its transitions, adverts and dropped packets by reason (zeros included,
 * so a reader can grep any reason), then the data plane manager's and the virtual servers' counters. The
 * SIGUSR2 stats dump holds it; the same numbers are on {@code /metrics}.
 */
public final class StatsText {
    private StatsText() {
    }

    /** The text, ending with a newline. */
    public static String format(StatusSnapshot s) {
        StringBuilder b = new StringBuilder();
        b.append("reloads: ").append(s.reloads().ok()).append(" ok, ").append(s.reloads().failed()).append(" failed\n");
        for (StatusSnapshot.Instance i : s.vrrpInstances()) {
            b.append("vrrp instance ").append(i.name()).append(" (").append(i.interfaceName()).append(", VRID ")
                    .append(i.vrid()).append("): ").append(i.state()).append(", priority ").append(i.effectivePriority())
                    .append('\n');
            line(b, "transitions", i.transitions());
            line(b, "adverts sent", i.advertsSent());
            line(b, "adverts received", i.advertsReceived());
            for (Map.Entry<String, Long> d : i.drops().entrySet()) {
                // The reason as the log and the metrics say it, not as a JSON key.
                line(b, "dropped " + JsonNames.snake(d.getKey()), d.getValue());
            }
        }
        StatusSnapshot.Ipvs ipvs = s.ipvs();
        if (ipvs != null) {
            b.append("ipvs\n");
            line(b, "reconcile runs", ipvs.runs());
            line(b, "changes", ipvs.changes());
            line(b, "repairs", ipvs.repairs());
            line(b, "failures", ipvs.failures());
        }
        for (StatusSnapshot.VirtualServerStatus vs : s.virtualServers()) {
            b.append("virtual server ").append(vs.name()).append(" (").append(vs.identity()).append(")");
            counters(b, vs.counters());
            for (StatusSnapshot.RealServerStatus rs : vs.realServers()) {
                b.append("  real server ").append(rs.address()).append(" ").append(rs.health());
                counters(b, rs.counters());
            }
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String name, long value) {
        b.append("  ").append(name).append(": ").append(value).append('\n');
    }

    private static void counters(StringBuilder b, StatusSnapshot.Counters c) {
        if (c == null) {
            b.append(": not in the kernel\n");
            return;
        }
        b.append(": connections ").append(c.connections()).append(", packets in ").append(c.inPackets())
                .append(" out ").append(c.outPackets()).append(", bytes in ").append(c.inBytes()).append(" out ")
                .append(c.outBytes()).append('\n');
    }
}
