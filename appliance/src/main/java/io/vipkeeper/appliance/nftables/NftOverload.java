package io.vipkeeper.appliance.nftables;

import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Connection thresholds with IPVS's meaning (ip_vs_bind_dest, ip_vs_unbind_dest,
 * __ip_vs_update_dest): a backend whose connections (active and inactive, as conntrack holds
 * them) reach its upper threshold is overloaded and takes no new connections; it is released
 * when they fall below its lower threshold, or below 3/4 of the upper one when the lower is 0.
 * Overloaded, it leaves its service's slot map as a backend at weight 0 does, but keeps its
 * weight, its flows and its persistence records (IPVS does not check overload for a client's
 * existing template either). The state is the slot map's: a backend with a threshold and a weight
 * above 0 that has no slot reads back as overloaded ({@link NftTableReader}), so a restarted
 * daemon adopts it. Decided by the engine at each run from the connection counts of that run,
 * not per connection as the kernel does: the reaction takes up to one reconcile interval.
 */
final class NftOverload {
    private NftOverload() {
    }

    /**
     * Whether a backend is overloaded after a count of {@code connections}, having been {@code
     * overloaded} before, with thresholds {@code upper} and {@code lower} (0: none; a lower of 0
     * means 3/4 of the upper).
     */
    static boolean next(boolean overloaded, long connections, int upper, int lower) {
        if (upper <= 0) {
            return false;
        }
        if (connections >= upper) {
            return true;
        }
        if (!overloaded) {
            return false;
        }
        // Released only below the lower threshold (ip_vs_unbind_dest).
        return lower > 0 ? connections >= lower : connections * 4 >= upper * 3L;
    }

    /**
     * Whether an overloaded backend stays overloaded across its spec's change from {@code was} to
     * {@code now}: as __ip_vs_update_dest, a threshold taken away or raised releases it (the next
     * run puts it back if it still has as many connections), and so does weight 0 (it takes nothing
     * new anyway, and returns with its weight as IPVS's would).
     */
    static boolean kept(BackendSpec was, BackendSpec now) {
        return now.upperThreshold() > 0 && now.weight() > 0 && now.upperThreshold() <= was.upperThreshold();
    }

    /** Whether any backend of {@code table} has an upper threshold. */
    static boolean any(Map<ServiceKey, DesiredService> table) {
        return table.values().stream().anyMatch(NftOverload::any);
    }

    static boolean any(DesiredService svc) {
        return svc.dests().values().stream().anyMatch(b -> b.upperThreshold() > 0);
    }

    /** The backends of each service in {@code table} that read back as overloaded. */
    static Map<ServiceKey, Set<BackendKey>> read(Map<ServiceKey, ActualService> table) {
        Map<ServiceKey, Set<BackendKey>> out = new LinkedHashMap<>();
        table.forEach((key, svc) -> svc.dests().forEach((b, a) -> {
            if (Boolean.TRUE.equals(a.overloaded())) {
                out.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(b);
            }
        }));
        return out;
    }

    /**
     * The overloaded backends after this run's counts in {@code table} (the engine's read, with
     * each backend's overload as programmed), for the services of {@code programmed} with a threshold.
     */
    static Map<ServiceKey, Set<BackendKey>> decide(Map<ServiceKey, ActualService> table,
            Map<ServiceKey, DesiredService> programmed) {
        Map<ServiceKey, Set<BackendKey>> out = new LinkedHashMap<>();
        table.forEach((key, svc) -> {
            DesiredService want = programmed.get(key);
            if (want == null || !any(want)) {
                return;
            }
            if (!NftLayout.implemented(want.spec().scheduler())) {
                // Drifted: left as it reads, the reconciler's rewrite comes first.
                out.putAll(read(Map.of(key, svc)));
                return;
            }
            svc.dests().forEach((b, a) -> {
                BackendSpec spec = want.dests().get(b);
                if (spec == null || spec.weight() <= 0) {
                    return;
                }
                boolean was = Boolean.TRUE.equals(a.overloaded());
                if (next(was, a.activeConnections() + a.inactiveConnections(), spec.upperThreshold(), spec.lowerThreshold())) {
                    out.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(b);
                }
            });
        });
        return out;
    }

    /**
     * The overloaded backends {@code to} is written with: those of {@code current} that {@link
     * #kept} their state through the change from {@code from}.
     */
    static Map<ServiceKey, Set<BackendKey>> carried(Map<ServiceKey, Set<BackendKey>> current,
            Map<ServiceKey, DesiredService> from, Map<ServiceKey, DesiredService> to) {
        Map<ServiceKey, Set<BackendKey>> out = new LinkedHashMap<>();
        current.forEach((key, backends) -> {
            DesiredService was = from.get(key);
            DesiredService now = to.get(key);
            if (was == null || now == null) {
                return;
            }
            for (BackendKey b : backends) {
                BackendSpec before = was.dests().get(b);
                BackendSpec after = now.dests().get(b);
                if (before != null && after != null && kept(before, after)) {
                    out.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(b);
                }
            }
        });
        return out;
    }
}
