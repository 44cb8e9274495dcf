package io.vipkeeper.appliance.realserver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ARP sysctls a direct-routing backend needs, and the changes that take the kernel there and
 * back. Pure: callers read the current values and apply the changes.
 */
public final class SysctlPlan {
    /** arp_ignore 1: answer ARP only for addresses on the interface it came in on, never for a VIP on lo. */
    static final int ARP_IGNORE = 1;
    /** arp_announce 2: ARP requests use the outgoing interface's own address, never a VIP on lo. */
    static final int ARP_ANNOUNCE = 2;

    /**
     * What {@code up} does to the sysctls.
     *
     * @param originals the values to keep in the state file: those already recorded, plus the
     *     current value of any wanted sysctl not yet recorded
     * @param changes what to write, in order
     */
    public record Up(Map<Sysctl, Integer> originals, List<Change> changes) {
    }

    /**
     * One write.
     *
     * @param sysctl what to write
     * @param from its value now
     * @param to the value to write
     */
    public record Change(Sysctl sysctl, int from, int to) {
        /** {@code net.ipv4.conf.eth0.arp_ignore 0 -> 1}, the line the command prints. */
        @Override
        public String toString() {
            return sysctl.name() + " " + from + " -> " + to;
        }
    }

    private SysctlPlan() {
    }

    /**
     * The wanted values: on "all" and on {@code iface}. The kernel uses the larger of the two for
     * both keys, so "all" alone would do; setting the interface too keeps the backend right if an
     * operator lowers "all" later.
     */
    public static Map<Sysctl, Integer> wanted(String iface) {
        Map<Sysctl, Integer> w = new LinkedHashMap<>();
        for (String scope : List.of("all", iface)) {
            w.put(Sysctl.ipv4Conf(scope, "arp_ignore"), ARP_IGNORE);
            w.put(Sysctl.ipv4Conf(scope, "arp_announce"), ARP_ANNOUNCE);
        }
        return w;
    }

    /**
     * From {@code current} (every wanted sysctl's value now) to {@code wanted}. Values already
     * {@code recorded} by an earlier {@code up} stay as they are: they are the ones from before
     * vipkeeper, and a second {@code up} must not replace them with its own.
     */
    public static Up up(Map<Sysctl, Integer> wanted, Map<Sysctl, Integer> current, Map<Sysctl, Integer> recorded) {
        Map<Sysctl, Integer> originals = new LinkedHashMap<>(recorded);
        List<Change> changes = new ArrayList<>();
        wanted.forEach((s, want) -> {
            int now = valueOf(current, s);
            originals.putIfAbsent(s, now);
            if (now != want) {
                changes.add(new Change(s, now, want));
            }
        });
        return new Up(originals, changes);
    }

    /** Back to the {@code recorded} values, for those whose {@code current} value differs. */
    public static List<Change> down(Map<Sysctl, Integer> recorded, Map<Sysctl, Integer> current) {
        List<Change> changes = new ArrayList<>();
        recorded.forEach((s, original) -> {
            if (current.containsKey(s) && current.get(s) != original.intValue()) {
                changes.add(new Change(s, current.get(s), original));
            }
        });
        return changes;
    }

    private static int valueOf(Map<Sysctl, Integer> current, Sysctl s) {
        Integer v = current.get(s);
        if (v == null) {
            throw new IllegalArgumentException("no current value of " + s);
        }
        return v;
    }
}
