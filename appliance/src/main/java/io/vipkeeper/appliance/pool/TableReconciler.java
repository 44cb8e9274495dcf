package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.Capabilities;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.SchedulerFlag;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans the fewest table changes that turn a data plane's table into the desired one, for the
 * services vipkeeper owns only. A destination that is no longer wanted is drained: weight 0 first,
 * then deleted once it has had no active connections for a grace of two seconds at weight 0, or
 * when the drain timeout passes (keepalived deletes at once, breaking connections in flight).
 * A destination the pool policy removes now (a failed server) is deleted at once. Holds the drain clocks between runs; not thread-safe (one reconcile thread).
 */
public final class TableReconciler {
    /** How every deletion that ends a drain begins its reason. */
    private static final String DRAINED = "removed";

    /**
     * Whether {@code op} ends a drain this reconciler started (the deletion of a removed backend
     * once its connections ended or the drain timeout passed): a run's planned follow-up, not a
     * repair of someone else's edit, even when a periodic run carries it out.
     */
    public static boolean endsADrain(TableChange op) {
        return op instanceof TableChange.DelBackend d && (d.reason().equals(DRAINED)
                || d.reason().startsWith(DRAINED + ", "));
    }

    private final long drainTimeoutNanos;
    /** How long a removed server stays at weight 0 before an idle one is deleted. */
    static final long GRACE_NANOS = 2_000_000_000L;
    /** When each destination started draining, by service then destination. */
    private final Map<ServiceKey, Map<BackendKey, Long>> drainingSince = new HashMap<>();
    /** The last run that found nothing to do, so a run handed the same tables can skip the plan. */
    private final QuietRun quiet = new QuietRun();

    /** Deletes a draining destination at the latest {@code drainTimeout} after it left the config. */
    public TableReconciler(Duration drainTimeout) {
        this.drainTimeoutNanos = drainTimeout.toNanos();
    }

    /**
     * The commands to run now.
     *
     * @param desired services vipkeeper wants, by key
     * @param actual the kernel's table as just dumped
     * @param formerlyOwned services vipkeeper created and no longer wants (deleted if present)
     * @param nowNanos monotonic time, for drain timeouts
     *
     * <p>When handed the very same {@code desired} and {@code actual} maps (the same objects) and
     * the same {@code formerlyOwned} as the last run that found nothing to do, and no drain is
     * under way (its clock is the only input that moves by itself), the answer is that run's:
     * nothing, without comparing 10,000 backends again. So callers must never change a map they
     * handed in: a changed desired table is a new map, and an engine hands out a new map for
     * every table it reads (the nftables engine repeats its last map only while the ruleset
     * generation stands still, so a hand edit still shows at the next run).
     */
    public List<TableChange> plan(Map<ServiceKey, DesiredService> desired, Map<ServiceKey, ActualService> actual,
            Set<ServiceKey> formerlyOwned, long nowNanos) {
        return plan(desired, actual, formerlyOwned, nowNanos, true);
    }

    /**
     * The same for an engine that forwards all real servers of a service alike ({@code
     * mixedForwarding} false: nftables). A removed real server of another forwarding method than
     * the service's real servers now is then deleted at once instead of drained: kept at weight 0
     * it would leave the service mixed, which such an engine refuses, and the whole move (a reload
     * from nat to dr) failed until the drain ended.
     */
    public List<TableChange> plan(Map<ServiceKey, DesiredService> desired, Map<ServiceKey, ActualService> actual,
            Set<ServiceKey> formerlyOwned, long nowNanos, boolean mixedForwarding) {
        return plan(desired, actual, formerlyOwned, nowNanos, mixedForwarding, false);
    }

    /**
     * The same for an engine with {@code caps}: {@link Capabilities.Option#MIXED_FORWARDING} as
     * above, and with {@link Capabilities.Option#HASH_LIST_ORDER} (IPVS) the destination lists of
     * mh, sh and dh services kept in canonical order ({@link HashListOrder}).
     */
    public List<TableChange> plan(Map<ServiceKey, DesiredService> desired, Map<ServiceKey, ActualService> actual,
            Set<ServiceKey> formerlyOwned, long nowNanos, Capabilities caps) {
        return plan(desired, actual, formerlyOwned, nowNanos, caps.options().contains(Capabilities.Option.MIXED_FORWARDING),
                caps.options().contains(Capabilities.Option.HASH_LIST_ORDER));
    }

    private List<TableChange> plan(Map<ServiceKey, DesiredService> desired, Map<ServiceKey, ActualService> actual,
            Set<ServiceKey> formerlyOwned, long nowNanos, boolean mixedForwarding, boolean listOrder) {
        if (quiet.same(desired, actual, formerlyOwned)) {
            return List.of();
        }
        List<TableChange> ops = new ArrayList<>();
        for (DesiredService want : desired.values()) {
            ServiceKey key = want.spec().key();
            ActualService have = actual.get(key);
            boolean ordered = listOrder && HashListOrder.applies(want.spec().scheduler());
            if (have == null) {
                ops.add(new TableChange.NewService(want.spec(), "missing"));
                (ordered ? HashListOrder.addOrder(want.dests().values()) : want.dests().values())
                        .forEach(d -> ops.add(new TableChange.NewBackend(key, d, "missing")));
                drainingSince.remove(key);
                continue;
            }
            if (!have.spec().normalized().equals(want.spec().normalized())) {
                ops.add(new TableChange.SetService(want.spec(), differences(have.spec().normalized(), want.spec())));
            }
            if (ordered) {
                List<TableChange> dests = new ArrayList<>();
                planDests(key, want, have, nowNanos, mixedForwarding, dests);
                ops.addAll(HashListOrder.arrange(key, want.spec().scheduler(), have, dests));
            } else {
                planDests(key, want, have, nowNanos, mixedForwarding, ops);
            }
        }
        for (ServiceKey key : formerlyOwned) {
            if (!desired.containsKey(key) && actual.containsKey(key)) {
                ops.add(new TableChange.DelService(key, "no longer configured"));
            }
        }
        drainingSince.keySet().retainAll(desired.keySet());
        drainingSince.values().removeIf(Map::isEmpty);
        quiet.ran(desired, actual, formerlyOwned, ops.isEmpty() && drainingSince.isEmpty());
        return ops;
    }

    private void planDests(ServiceKey key, DesiredService want, ActualService have, long now, boolean mixedForwarding,
            List<TableChange> ops) {
        Map<BackendKey, Long> draining = drainingSince.computeIfAbsent(key, k -> new HashMap<>());
        Set<Forwarding> wanted = EnumSet.noneOf(Forwarding.class);
        want.dests().values().forEach(d -> wanted.add(d.forwarding()));
        for (BackendSpec d : want.dests().values()) {
            ActualBackend k = have.dests().get(d.key());
            draining.remove(d.key());
            if (k == null) {
                ops.add(new TableChange.NewBackend(key, d, "missing"));
            } else if (!k.spec().equals(d)) {
                ops.add(new TableChange.SetBackend(key, d, "was " + k.spec().forwarding().configName() + " weight "
                        + k.spec().weight()));
            }
        }
        for (ActualBackend k : have.dests().values()) {
            BackendKey dk = k.spec().key();
            if (want.dests().containsKey(dk)) {
                continue;
            }
            String removal = want.removeNow().get(dk);
            if (removal == null && !mixedForwarding && !wanted.isEmpty() && !wanted.contains(k.spec().forwarding())) {
                removal = "removed; forwarding is " + wanted.iterator().next().configName() + " now, and this engine"
                        + " forwards all real servers of a service alike, so it cannot drain by "
                        + k.spec().forwarding().configName();
            }
            if (removal != null) {
                ops.add(new TableChange.DelBackend(key, dk, removal));
                draining.remove(dk);
                continue;
            }
            Long since = draining.putIfAbsent(dk, now);
            long started = since == null ? now : since;
            long drained = now - started;
            if (drained >= drainTimeoutNanos) {
                ops.add(new TableChange.DelBackend(key, dk, k.activeConnections() == 0 ? DRAINED
                        : DRAINED + ", drain timeout with " + k.activeConnections() + " active connections"));
                draining.remove(dk);
            } else if (k.spec().weight() != 0) {
                ops.add(new TableChange.SetBackend(key, k.spec().withWeight(0), "removed, draining "
                        + k.activeConnections() + " active connections"));
            } else if (k.activeConnections() == 0 && drained >= Math.min(GRACE_NANOS, drainTimeoutNanos)) {
                // Only after a grace at weight 0: a connection scheduled just before the weight
                // fell may still be opening (inactive, not yet active), and deleting its server
                // would drop its packets.
                ops.add(new TableChange.DelBackend(key, dk, DRAINED + ", no active connections"));
                draining.remove(dk);
            }
        }
    }

    /** A spec's flags as the listing names them ("sh-port, persistent"), "none" when there are none. */
    private static String flagNames(ServiceSpec spec) {
        List<String> names = new ArrayList<>(SchedulerFlag.names(spec.flags(), spec.scheduler()));
        if ((spec.flags() & ServiceSpec.PERSISTENT) != 0) {
            names.add("persistent");
        }
        if ((spec.flags() & ServiceSpec.ONE_PACKET) != 0) {
            names.add("one-packet");
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** "scheduler was wrr, persistence timeout was 0": only what differs. */
    private static String differences(ServiceSpec have, ServiceSpec want) {
        java.util.StringJoiner j = new java.util.StringJoiner(", ");
        if (!have.scheduler().equals(want.scheduler())) {
            j.add("scheduler was " + have.scheduler());
        }
        if (have.flags() != want.flags()) {
            j.add("flags were " + flagNames(have));
        }
        if (have.timeoutSeconds() != want.timeoutSeconds()) {
            j.add("persistence timeout was " + have.timeoutSeconds() + "s");
        }
        if (have.netmask() != want.netmask()) {
            j.add("persistence netmask was " + have.netmask());
        }
        return j.toString();
    }
}
