package io.vipkeeper.appliance.keepalived;

import java.util.List;
import java.util.Map;

/**
 * global_defs' {@code lvs_timeouts [tcp N] [tcpfin N] [udp N]} (seconds; 0 leaves the kernel's)
 * to {@code ipvs.timeouts}. keepalived skips a bad or missing value with an error and keeps the
 * rest of the line, and so does the import.
 */
final class LvsTimeoutsImport {
    /** keepalived's word to vipkeeper's key. */
    private static final Map<String, String> KEYS = Map.of("tcp", "tcp", "tcpfin", "tcp-fin", "udp", "udp");
    /** vipkeeper's bound (the kernel's INT_MAX / HZ at HZ 1000); keepalived takes up to 31 days. */
    private static final int MAX_SECONDS = Integer.MAX_VALUE / 1000;

    private LvsTimeoutsImport() {
    }

    static void map(ImportContext ctx, Statement s) {
        Hocon timeouts = new Hocon();
        List<String> w = s.words();
        for (int i = 1; i < w.size(); i++) {
            String option = w.get(i);
            String key = KEYS.get(option);
            if (key == null) {
                ctx.notes.fallback(s.origin(), s.keyword() + " " + option, "not tcp, tcpfin or udp: keepalived "
                        + "ignores the word, and so does the import");
                continue;
            }
            if (i + 1 >= w.size()) {
                ctx.notes.fallback(s.origin(), s.keyword() + " " + option, "has no value: keepalived ignores it, "
                        + "and so does the import");
                continue;
            }
            i++;
            ctx.integer(s, i, 0, Integer.MAX_VALUE).ifPresent(v -> {
                if (v > MAX_SECONDS) {
                    ctx.notes.leftOut(s.origin(), s.keyword() + " " + option, v + " seconds is above vipkeeper's "
                            + MAX_SECONDS + " (the most any kernel takes): set ipvs.timeouts." + key + " lower");
                } else if (v > 0) {
                    timeouts.put(key, Values.duration(v * 1000L));
                }
            });
        }
        if (!timeouts.isEmpty()) {
            ctx.ipvs().comment("lvs_timeouts: the kernel's IPVS connection timeouts (ipvsadm --set).");
            ctx.ipvs().put("timeouts", timeouts);
        }
    }
}
