package io.vipkeeper.appliance.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link StatusSnapshot} for people: the daemon, its VRRP instances, then virtual and real
 * servers. {@code vipkeeper status} prints it, and the SIGUSR1 data dump holds it.
 */
public final class StatusTable {
    private StatusTable() {
    }

    /** The text, ending with a newline. */
    public static String format(StatusSnapshot s) {
        StringBuilder b = new StringBuilder();
        b.append(s.node()).append(": ").append(s.version()).append('\n');
        b.append("config ").append(s.configFile()).append(", loaded ").append(s.loadedAt()).append(", started ")
                .append(s.startedAt()).append('\n');
        StatusSnapshot.Reloads r = s.reloads();
        b.append("reloads: ").append(r.ok()).append(" ok, ").append(r.failed()).append(" failed");
        if (r.last() != null) {
            b.append("; last ").append(r.last().ok() ? "ok" : "FAILED").append(" at ").append(r.last().at()).append(": ")
                    .append(r.last().summary());
            r.last().problems().forEach(p -> b.append("\n  ").append(p));
        }
        b.append('\n');
        // What /healthz answers 503 for, where an operator reading status sees it first.
        s.problems().forEach(p -> b.append("PROBLEM: ").append(p).append('\n'));
        // Not the daemon's fault (so not /healthz's), but what a reader of status must see first.
        for (StatusSnapshot.VirtualServerStatus vs : s.virtualServers()) {
            long down = vs.realServers().stream().filter(rs -> rs.health().equals("down")).count();
            long up = vs.realServers().stream().filter(rs -> rs.health().equals("up") || rs.health().equals("unchecked")).count();
            if (down > 0) {
                b.append(up == 0 ? "WARNING: virtual server " : "note: virtual server ").append(vs.name()).append(": ")
                        .append(up).append(" of ").append(up + down).append(" real servers up\n");
            }
        }
        b.append('\n');
        instances(b, s.vrrpInstances());
        b.append('\n');
        bgp(b, s.bgp());
        virtualServers(b, s);
        return b.toString();
    }

    /** The bgp VIPs, only when the config has some: which are announced and why. */
    private static void bgp(StringBuilder b, List<StatusSnapshot.BgpVip> vips) {
        if (vips.isEmpty()) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"BGP VIP", "STATE", "SINCE", "CHANGES", "WHY"});
        for (StatusSnapshot.BgpVip v : vips) {
            rows.add(new String[] {v.vip(), v.announced() ? "announced" : "withdrawn", v.since(),
                Long.toString(v.changes()), v.reason()});
        }
        columns(b, rows);
        b.append('\n');
    }

    private static void instances(StringBuilder b, List<StatusSnapshot.Instance> instances) {
        if (instances.isEmpty()) {
            b.append("no VRRP instances\n");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"INSTANCE", "STATE", "INTERFACE", "VRID", "PRIORITY", "MASTER", "ADVERT", "TRANSITIONS",
            "LAST CHANGE"});
        for (StatusSnapshot.Instance i : instances) {
            String prio = i.effectivePriority() == i.configuredPriority() ? Integer.toString(i.effectivePriority())
                    : i.effectivePriority() + " (of " + i.configuredPriority() + ")";
            StatusSnapshot.LastTransition t = i.lastTransition();
            String last = t == null ? "-" : t.from() + " -> " + t.to() + " (" + t.reason() + ") at " + t.at();
            rows.add(new String[] {i.name(), i.state() + (i.maintenance() ? " (maintenance)" : ""), i.interfaceName(), Integer.toString(i.vrid()), prio,
                dash(i.masterAddress()), i.masterAdvertIntervalMs() + "ms", Long.toString(i.transitions()), last});
            if (!i.virtualIps().isEmpty()) {
                rows.add(new String[] {"  virtual IPs", String.join(" ", i.virtualIps())});
            }
            if (i.preemptAt() != null) {
                rows.add(new String[] {"  preempt", "at " + i.preemptAt() + " (preempt-delay)"});
            }
            if (i.vmac() != null) {
                rows.add(new String[] {"  vmac", i.vmac()});
            }
            for (Map.Entry<String, Integer> item : i.tracking().entrySet()) {
                rows.add(new String[] {"  tracking", item.getKey() + ": " + (item.getValue() > 0 ? "+" : "") + item.getValue()});
            }
            for (Map.Entry<String, String> f : i.faults().entrySet()) {
                rows.add(new String[] {"  fault", f.getKey() + ": " + f.getValue()});
            }
            for (StatusSnapshot.Mismatch m : i.mismatches()) {
                rows.add(new String[] {"  mismatch", m.describe()});
            }
        }
        columns(b, rows);
    }

    private static void virtualServers(StringBuilder b, StatusSnapshot s) {
        if (s.virtualServers().isEmpty()) {
            b.append("no virtual servers\n");
            return;
        }
        b.append(backends(s.virtualServers()));
        dataPlane(b, s);
    }

    /**
     * The virtual servers with their backends as columns: health, this node's admin state, the
     * weight in force and whose it is (config or runtime), then the kernel's view ({@code vipkeeper
     * status} and {@code vipkeeper backend list}).
     */
    public static String backends(List<StatusSnapshot.VirtualServerStatus> servers) {
        List<String[]> rows = new ArrayList<>();
        // ADMIN (this node's runtime state) and ORIGIN (whose weight WEIGHT is) sit next to HEALTH.
        rows.add(new String[] {"VIRTUAL SERVER", "HEALTH", "ADMIN", "WEIGHT", "ORIGIN", "IN KERNEL", "ACTIVE", "INACTIVE",
            "CONNS"});
        for (StatusSnapshot.VirtualServerStatus vs : servers) {
            rows.add(new String[] {vs.name() + " " + vs.identity() + " " + vs.scheduler() + " " + vs.forwarding(), "",
                "", "", "", vs.inKernel() ? "yes" : "NO", "", "", vs.counters() == null ? "-" : Long.toString(vs.counters().connections())});
            for (StatusSnapshot.RealServerStatus rs : vs.realServers()) {
                // A runtime backend (vipkeeper backend add) says so where its address is.
                rows.add(new String[] {"  -> " + rs.address() + ("runtime".equals(rs.origin()) ? " (runtime backend)" : ""), rs.health(), dash(rs.admin()),
                    dash(rs.runtimeWeight() != null ? rs.runtimeWeight() : rs.configuredWeight()), dash(rs.weightOrigin()),
                    rs.kernelWeight() == null ? "NO" : "weight " + rs.kernelWeight()
                            + (Boolean.TRUE.equals(rs.overloaded()) ? " overloaded" : ""), dash(rs.activeConnections()),
                    dash(rs.inactiveConnections()), rs.counters() == null ? "-" : Long.toString(rs.counters().connections())});
            }
        }
        StringBuilder b = new StringBuilder();
        columns(b, rows);
        boolean runtime = servers.stream().flatMap(vs -> vs.realServers().stream()).anyMatch(rs ->
                rs.admin() != null && !rs.admin().equals("enabled") || "runtime".equals(rs.weightOrigin())
                        || "runtime".equals(rs.origin()));
        if (runtime) {
            b.append("ADMIN, runtime weights and runtime backends are this node's only (vipkeeper backend on each"
                    + " director)\n");
        }
        return b.toString();
    }

    private static void dataPlane(StringBuilder b, StatusSnapshot s) {
        if (s.dataPlane() != null) {
            b.append("data plane: ").append(s.dataPlane().engine()).append(" (").append(s.dataPlane().reason())
                    .append(")\n");
        }
        if (s.ipvs() != null) {
            b.append(s.dataPlane() == null ? "ipvs" : s.dataPlane().engine()).append(": kernel table read at ").append(dash(s.ipvs().tableReadAt())).append("; reconcile runs ")
                    .append(s.ipvs().runs()).append(", changes ").append(s.ipvs().changes()).append(", repairs ")
                    .append(s.ipvs().repairs()).append(", failures ").append(s.ipvs().failures()).append('\n');
            if (s.ipvs().lastError() != null) {
                b.append("  last run failed: ").append(s.ipvs().lastError()).append('\n');
            }
        }
    }

    /** {@link #columns(StringBuilder, List)} as a string (the CLI's other tables). */
    public static String columns(List<String[]> rows) {
        StringBuilder b = new StringBuilder();
        columns(b, rows);
        return b.toString();
    }

    /** Rows left-aligned in columns two spaces apart; a short row (virtual IPs, a fault, a mismatch) is not measured. */
    private static void columns(StringBuilder b, List<String[]> rows) {
        int n = rows.get(0).length;
        int[] width = new int[n];
        for (String[] row : rows) {
            if (row.length == n) {
                for (int c = 0; c < n; c++) {
                    width[c] = Math.max(width[c], row[c].length());
                }
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                line.append(row[c]);
                if (c < row.length - 1) {
                    line.append(" ".repeat(row.length == n ? width[c] - row[c].length() + 2 : 2));
                }
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static String dash(Object o) {
        return o == null ? "-" : o.toString();
    }
}
