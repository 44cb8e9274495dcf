package io.vipkeeper.appliance.ipvs;

/**
 * IPVS_CMD_GET_INFO: the kernel's IPVS version and connection table size.
 *
 * @param version packed as 0x010201 for 1.2.1
 * @param connTableSize hash buckets of the connection table
 */
public record IpvsInfo(long version, long connTableSize) {
    /** The first line of {@code ipvsadm -Ln}. */
    public String versionLine() {
        return "IP Virtual Server version " + (version >> 16 & 0xff) + "." + (version >> 8 & 0xff) + "."
                + (version & 0xff) + " (size=" + connTableSize + ")";
    }
}
