package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import java.util.Map;
import java.util.Set;

/**
 * The inputs of the last reconcile plan that found nothing to do, kept so that the next run
 * handed the very same tables can skip planning: at 100 services x 100 backends the plan
 * compares 10,000 backends, the larger part of an idle nftables run once the engine answers
 * from its cache. Identity, not equality: comparing the tables is the work being saved, and a
 * table read again or a desired table changed is always a new map. Not thread-safe.
 */
final class QuietRun {
    private Map<ServiceKey, DesiredService> desired;
    private Map<ServiceKey, ActualService> actual;
    private Set<ServiceKey> formerlyOwned;

    /** Whether these are the very tables of the last quiet run (and an equal formerly-owned set). */
    boolean same(Map<ServiceKey, DesiredService> desired, Map<ServiceKey, ActualService> actual, Set<ServiceKey> formerlyOwned) {
        return this.desired == desired && this.actual == actual && this.formerlyOwned != null
                && this.formerlyOwned.equals(formerlyOwned);
    }

    /** A plan ran over these; {@code quiet} when it found nothing to do and no drain is waiting. */
    void ran(Map<ServiceKey, DesiredService> desired, Map<ServiceKey, ActualService> actual, Set<ServiceKey> formerlyOwned,
            boolean quiet) {
        this.desired = quiet ? desired : null;
        this.actual = quiet ? actual : null;
        this.formerlyOwned = quiet ? Set.copyOf(formerlyOwned) : null;
    }
}
