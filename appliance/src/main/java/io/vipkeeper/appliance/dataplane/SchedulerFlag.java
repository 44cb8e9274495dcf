package io.vipkeeper.appliance.dataplane;

import io.vipkeeper.appliance.ConfigName;

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
}
