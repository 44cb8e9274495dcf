package io.vipkeeper.appliance.dataplane;

import io.vipkeeper.appliance.ConfigName;
import java.util.ArrayList;
import java.util.List;

/**
 * Scheduler-specific service options. Each flag only means something to one scheduler. The bit
 * is the flag's place in {@link ServiceSpec#flags()}, which is IPVS's own numbering
 * (include/uapi/linux/ip_vs.h IP_VS_SVC_F_SCHED1/2; ip_vs_mh.c reuses the same bits).
 */
public enum SchedulerFlag implements ConfigName {
    /** IP_VS_SVC_F_SCHED_SH_PORT: hash the source port too. */
    SH_PORT("sh-port", 0x10, Scheduler.SH),
    /** IP_VS_SVC_F_SCHED_SH_FALLBACK: pick another server when the hashed one is unavailable. */
    SH_FALLBACK("sh-fallback", 0x08, Scheduler.SH),
    /** IP_VS_SVC_F_SCHED_MH_PORT. */
    MH_PORT("mh-port", 0x10, Scheduler.MH),
    /** IP_VS_SVC_F_SCHED_MH_FALLBACK. */
    MH_FALLBACK("mh-fallback", 0x08, Scheduler.MH);

    private final String configName;
    private final int bit;
    private final Scheduler scheduler;

    SchedulerFlag(String configName, int bit, Scheduler scheduler) {
        this.configName = configName;
        this.bit = bit;
        this.scheduler = scheduler;
    }

    @Override
    public String configName() {
        return configName;
    }

    /** The bit in {@link ServiceSpec#flags()} (IPVS_SVC_ATTR_FLAGS). */
    public int bit() {
        return bit;
    }

    /** The only scheduler this flag applies to. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** IP_VS_SVC_F_SCHED1, 2 and 3: the bits a scheduler gives its own meaning. */
    public static final int SCHEDULER_BITS = 0x08 | 0x10 | 0x20;

    /**
     * The scheduler flags set in {@code flags} (a {@link ServiceSpec#flags()}), by bit, named as
     * ipvsadm names them: {@code scheduler}'s own names (sh-fallback, sh-port), {@code flag-1} to
     * {@code flag-3} for a bit it names none for. Only the scheduler's first word counts: a spec
     * read back as drifted carries "sh (drifted: ...)", and its flags are still sh's.
     */
    public static List<String> names(int flags, String scheduler) {
        String name = scheduler.split(" ", 2)[0];
        List<String> names = new ArrayList<>();
        int n = 1;
        for (int bit = 0x08; bit <= 0x20; bit <<= 1, n++) {
            if ((flags & bit) == 0) {
                continue;
            }
            String found = "flag-" + n;
            for (SchedulerFlag f : values()) {
                if (f.bit == bit && f.scheduler.configName().equals(name)) {
                    found = f.configName;
                }
            }
            names.add(found);
        }
        return names;
    }
}
