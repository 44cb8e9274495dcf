package io.vipkeeper.vrrp.fsm;

import java.util.Map;
import java.util.TreeMap;

/**
 * The effective priority of a router from its tracked interfaces, scripts and files: each failing
 * item adds its weight (usually negative); a failing item of weight 0 puts the router in Fault
 * (keepalived's track_interface / track_script semantics, with the sign made explicit). A tracked
 * file adds what its value makes of its weight ({@link #adjust}).
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
        put(item, ok ? 0 : weight);
    }

    /**
     * Reports what a tracked value makes of the priority: {@code delta} added to it, or Fault
     * for {@code faultWhy} when that is not null (keepalived's track_file).
     */
    public void adjust(String item, int delta, String faultWhy) {
        router.setFault(item, faultWhy);
        put(item, faultWhy == null ? delta : 0);
    }

    private void put(String item, int delta) {
        if (delta == 0) {
            failingWeights.remove(item);
        } else {
            failingWeights.put(item, delta);
        }
        int sum = failingWeights.values().stream().mapToInt(Integer::intValue).sum();
        router.setEffectivePriority(router.config().priority() + sum);
        router.setPriorityAdjustments(Map.copyOf(failingWeights));
    }
}
