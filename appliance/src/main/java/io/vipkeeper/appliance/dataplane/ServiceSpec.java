package io.vipkeeper.appliance.dataplane;

/**
 * The settable part of a virtual service: scheduler and options. The options are a bit set
 * numbered as IPVS numbers them ({@link #PERSISTENT}, {@link #ONE_PACKET}, {@link SchedulerFlag#bit()}),
 * which the IPVS engine sends as they are and another engine reads through these constants.
 *
 * @param key identity
 * @param scheduler scheduler name ("wlc")
 * @param flags IP_VS_SVC_F_* bits (persistent 0x1, one-packet 0x4, scheduler flags 0x8..0x20)
 * @param timeoutSeconds persistence timeout
 * @param netmask persistence granularity: IPv4 the mask as a 32-bit number, IPv6 the prefix length
 */
public record ServiceSpec(ServiceKey key, String scheduler, int flags, int timeoutSeconds, long netmask) {
    /** Flags userspace sets; the kernel also reports internal ones (HASHED 0x2). */
    public static final int SETTABLE_FLAGS = 0x1 | 0x4 | 0x8 | 0x10 | 0x20;
    /** IP_VS_SVC_F_PERSISTENT. */
    public static final int PERSISTENT = 0x1;
    /** IP_VS_SVC_F_ONEPACKET. */
    public static final int ONE_PACKET = 0x4;

    /** This spec with only the flags userspace controls, for comparing with a kernel dump. */
    public ServiceSpec normalized() {
        return new ServiceSpec(key, scheduler, flags & SETTABLE_FLAGS, timeoutSeconds, netmask);
    }
}
