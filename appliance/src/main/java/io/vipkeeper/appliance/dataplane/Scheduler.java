package io.vipkeeper.appliance.dataplane;

import io.vipkeeper.appliance.ConfigName;

/**
 * A scheduling algorithm. The names are IPVS's ({@code ip_vs_<name>}, see ipvsadm(8) for what each
 * one does), kept for every engine where the meaning is the same; an engine lists the ones it
 * implements in its {@link Capabilities}. {@link #SYMHASH} is not IPVS's: nftables' {@code symhash}
 * (the kernel's symmetric flow hash, the same for both directions of a flow), which IPVS lacks.
 */
public enum Scheduler implements ConfigName {
    RR("rr"), WRR("wrr"), LC("lc"), WLC("wlc"), LBLC("lblc"), LBLCR("lblcr"), DH("dh"), SH("sh"),
    MH("mh"), SED("sed"), NQ("nq"), FO("fo"), OVF("ovf"), TWOS("twos"),
    /** nftables only: {@code symhash mod N} of the flow; its seed is the kernel's, random per boot. */
    SYMHASH("symhash");

    private final String configName;

    Scheduler(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
