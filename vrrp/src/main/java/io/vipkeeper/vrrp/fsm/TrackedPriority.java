package io.vipkeeper.vrrp.fsm;

import java.util.Map;
import java.util.TreeMap;

/**
 * The effective priority of a router from its tracked interfaces and scripts: each failing item
 * adds its weight (usually negative); a failing item of weight 0 puts the router in Fault
 * (keepalived's track_interface / track_script semantics, with the sign made explicit).
 */
public final class TrackedPriority {
    private final VirtualRouter router;
    private final Map<String, Integer> failingWeights = new TreeMap<>();

    /** Adjusts {@code router}; call on its scheduler's thread. */
    public TrackedPriority(VirtualRouter router) {
        this.router = router;
    }

    /** Reports the state of a tracked item named {@code item} with {@code weight}. */
    public void update(String item, int weight, boolean ok, String why) {
        if (weight == 0) {
            router.setFault(item, ok ? null : why);
            return;
        }
        if (ok) {
            failingWeights.remove(item);
        } else {
            failingWeights.put(item, weight);
        }
        int sum = failingWeights.values().stream().mapToInt(Integer::intValue).sum();
        router.setEffectivePriority(router.config().priority() + sum);
    }
}
