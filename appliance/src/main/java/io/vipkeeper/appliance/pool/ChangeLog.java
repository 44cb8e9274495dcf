package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TableChange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs and counts the changes a run made: one line per change; a large programming run (a first
 * start, a big reload) logs one line per service instead, with every change at debug. Drift
 * repairs are always logged one by one.
 */
final class ChangeLog {
    /** Under the manager's name: operators and tests know these lines as DataPlaneManager's. */
    private static final Logger log = LoggerFactory.getLogger(DataPlaneManager.class);
    /** Changes in one run above which the log gets one line per service. */
    static final int SUMMARIZE_ABOVE = 50;

    private ChangeLog() {
    }

    /** Logs {@code changes} but the {@code failed} ones (logged where they failed) and counts them. */
    static void log(String engine, List<TableChange> changes, Set<TableChange> failed, ReconcileRun why,
            ReconcileCounters counters) {
        boolean drift = why == ReconcileRun.PERIODIC;
        boolean summarize = !drift && (changes.size() > SUMMARIZE_ABOVE || why == ReconcileRun.HEALTH);
        Map<ServiceKey, int[]> perService = new LinkedHashMap<>();
        for (TableChange op : changes) {
            if (failed.contains(op)) {
                continue;
            }
            boolean repair = drift && !TableReconciler.endsADrain(op);
            counters.changed(repair);
            if (drift && !repair) {
                log.info("{} drained: {} ({})", engine, TableChange.describe(op), op.reason());
            } else if (repair) {
                log.warn("{} {}: {} ({})", engine, why.label(), TableChange.describe(op), op.reason());
            } else if (summarize) {
                if (log.isDebugEnabled()) {
                    // Not described unless logged: 10,000 lines of a first start cost 0.1 s of garbage.
                    log.debug("{} {}: {} ({})", engine, why.label(), TableChange.describe(op), op.reason());
                }
                perService.computeIfAbsent(op.service(), k -> new int[1])[0]++;
            } else {
                log.info("{} {}: {} ({})", engine, why.label(), TableChange.describe(op), op.reason());
            }
        }
        if (why == ReconcileRun.HEALTH) {
            return;
        }
        perService.forEach((service, n) -> log.info("{} {}: {} change(s) to {} (each at debug level)", engine, why.label(),
                n[0], service));
    }
}
