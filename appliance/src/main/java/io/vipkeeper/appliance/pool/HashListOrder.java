package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.Scheduler;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TableChange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the destination list of a hashing service (mh, sh, dh) on IPVS in one canonical order, so
 * that directors with the same config but different histories build the same lookup table and send
 * a flow that moves between them to the same backend. IPVS builds those tables from the list in
 * list order (Maglev's ties go to the earlier destination; sh and dh deal buckets round the list)
 * and adds a destination at the list's head, so a backend deleted and added again (health, drain,
 * config) moves. The canonical order is the nftables engine's: address bytes, then port.
 *
 * <p>The repair deletes and adds again the fewest destinations: those not in the longest tail of
 * the canonical order that the list already holds in order stay; the others (and the new ones)
 * are added from the last in canonical order to the first. IPVS keeps a deleted destination with
 * its connections in its trash and revives it when it is added again, so established connections
 * to it go on after a few dropped packets (with {@code expire_nodest_conn} at its default 0).
 *
 * <p>For mh, a destination whose weight falls to 0 is also deleted and added at 0 instead of
 * edited: the kernel's mh keeps the slots of a destination edited to 0 (it remembers the last
 * weight above 0) and schedules nothing there without mh-fallback, while one added at 0 takes no
 * slot. Added at 0, a draining or quiesced backend leaves the table that the directors that
 * deleted it (or never had it) build, and new flows go to the other backends.
 */
final class HashListOrder {
    /** Address bytes (unsigned), then port: the nftables engine's Maglev order. */
    static final Comparator<BackendKey> CANONICAL = BackendKey.CANONICAL_ORDER;

    private static final Set<String> LIST_ORDER_SCHEDULERS = Set.of(Scheduler.MH.configName(),
            Scheduler.SH.configName(), Scheduler.DH.configName());

    private HashListOrder() {
    }

    /** Whether a service with {@code scheduler} builds its table from the list order (on IPVS). */
    static boolean applies(String scheduler) {
        return LIST_ORDER_SCHEDULERS.contains(scheduler);
    }

    /** The destinations of a new service, in the order to add them: the last in canonical order first. */
    static List<BackendSpec> addOrder(Iterable<BackendSpec> dests) {
        List<BackendSpec> sorted = new ArrayList<>();
        dests.forEach(sorted::add);
        sorted.sort(Comparator.comparing(BackendSpec::key, CANONICAL).reversed());
        return sorted;
    }

    /**
     * Rewrites the destination changes planned for one existing service so that its list ends in
     * canonical order.
     *
     * @param key the service
     * @param scheduler its scheduler once this run's changes are made
     * @param have the service as dumped, destinations in list order
     * @param planned the run's destination changes for this service
     * @return the changes to make instead: the planned ones that stay (edits, deletions) first, then
     *     the deletions for reordering, then the additions from the last in canonical order
     */
    static List<TableChange> arrange(ServiceKey key, String scheduler, ActualService have, List<TableChange> planned) {
        boolean mh = scheduler.equals(Scheduler.MH.configName());
        // The list once the planned changes are made (positions aside), and who must be added now.
        Map<BackendKey, BackendSpec> after = new LinkedHashMap<>();
        have.dests().values().forEach(d -> after.put(d.spec().key(), d.spec()));
        Map<BackendKey, String> addReason = new LinkedHashMap<>();
        Map<BackendKey, TableChange> edits = new LinkedHashMap<>();
        List<TableChange> deletions = new ArrayList<>();
        for (TableChange op : planned) {
            if (op instanceof TableChange.DelBackend d) {
                after.remove(d.dest());
                deletions.add(d);
            } else if (op instanceof TableChange.NewBackend n) {
                after.put(n.dest().key(), n.dest());
                addReason.put(n.dest().key(), n.reason());
            } else if (op instanceof TableChange.SetBackend s) {
                ActualBackend now = have.dests().get(s.dest().key());
                after.put(s.dest().key(), s.dest());
                if (mh && s.dest().weight() == 0 && now != null && now.spec().weight() != 0) {
                    addReason.put(s.dest().key(), s.reason() + "; added again at weight 0 so it takes no mh slot");
                } else {
                    edits.put(s.dest().key(), s);
                }
            }
        }
        List<BackendKey> canonical = new ArrayList<>(after.keySet());
        canonical.sort(CANONICAL);
        // The longest tail of the canonical order that the list holds in that order stays in place.
        List<BackendKey> inList = new ArrayList<>();
        for (BackendKey k : have.dests().keySet()) {
            if (after.containsKey(k) && !addReason.containsKey(k)) {
                inList.add(k);
            }
        }
        Set<BackendKey> stay = new HashSet<>();
        int j = inList.size() - 1;
        for (int i = canonical.size() - 1; i >= 0; i--) {
            BackendKey k = canonical.get(i);
            if (addReason.containsKey(k)) {
                break;
            }
            while (j >= 0 && !inList.get(j).equals(k)) {
                j--;
            }
            if (j < 0) {
                break;
            }
            stay.add(k);
            j--;
        }
        List<TableChange> ops = new ArrayList<>();
        List<TableChange> readds = new ArrayList<>();
        for (BackendKey k : canonical) {
            if (stay.contains(k)) {
                if (edits.containsKey(k)) {
                    ops.add(edits.get(k));
                }
            } else if (!addReason.containsKey(k) || have.dests().containsKey(k)) {
                String why = addReason.getOrDefault(k, "out of " + scheduler + " order");
                readds.add(new TableChange.DelBackend(key, k, "to add again in canonical " + scheduler + " order ("
                        + why + ")"));
            }
        }
        ops.addAll(deletions);
        ops.addAll(readds);
        for (int i = canonical.size() - 1; i >= 0; i--) {
            BackendKey k = canonical.get(i);
            if (!stay.contains(k)) {
                String why = addReason.getOrDefault(k, "out of " + scheduler + " order");
                ops.add(new TableChange.NewBackend(key, after.get(k), have.dests().containsKey(k)
                        ? "added again in canonical " + scheduler + " order (" + why + ")" : why));
            }
        }
        return ops;
    }
}
