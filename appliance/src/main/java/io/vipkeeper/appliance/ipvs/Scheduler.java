package io.vipkeeper.appliance.ipvs;

import io.vipkeeper.appliance.config.ConfigName;

/**
 * An IPVS scheduling algorithm, named as the kernel's {@code ip_vs_<name>} module and
 * IPVS_SVC_ATTR_SCHED_NAME expect. See ipvsadm(8) for what each one does.
 */
public enum Scheduler implements ConfigName {
    RR("rr"), WRR("wrr"), LC("lc"), WLC("wlc"), LBLC("lblc"), LBLCR("lblcr"), DH("dh"), SH("sh"),
    MH("mh"), SED("sed"), NQ("nq"), FO("fo"), OVF("ovf"), TWOS("twos");

    private final String configName;

    Scheduler(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
