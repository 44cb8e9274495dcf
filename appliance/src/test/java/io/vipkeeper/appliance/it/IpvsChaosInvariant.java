package io.vipkeeper.appliance.it;

/** What the IPVS fault lab checks (ARCHITECTURE.md, "Invariants"), for its reports. */
enum IpvsChaosInvariant {
    /** vipkeeper's services and nftables table equal the config and the backends' health, past each window. */
    TABLE("the kernel table equals the desired table within one reconcile interval (plus the bound of the disturbance)"),
    /** The lab's own services and tables stay exactly as the lab made them. */
    FOREIGN("foreign IPVS services and nftables tables are never touched"),
    /** The status's configDigest is the SHA-256 of the last valid file. */
    CONFIG("the config in force is the last valid file"),
    /** A valid file is taken, a broken one refused, a SIGHUP of the same file changes nothing. */
    RELOAD("a valid reload succeeds, a bad, empty or half-written one is refused"),
    /** The daemon runs. */
    ALIVE("the daemon never exits"),
    /** The status API answers. */
    API("the status API answers");

    private final String meaning;

    IpvsChaosInvariant(String meaning) {
        this.meaning = meaning;
    }

    String meaning() {
        return meaning;
    }
}
