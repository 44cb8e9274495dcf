package io.vipkeeper.appliance.it;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One keepalived fixture as the wire comparison runs it: the file, the /24 its eth0 addresses and
 * VIPs are on, whether it sends unicast adverts to a peer on eth1 that does not exist, and the VRIDs
 * it configures. {@link #node} builds what the file names in a lab node: eth0 on the fixture's
 * subnet, an eth1 (a veth pair inside the node) with the unicast source address 198.19.11.1, and a
 * permanent neighbour entry for the absent peer 198.19.11.2 so unicast adverts leave instead of
 * waiting for an ARP answer.
 */
record WireFixture(String file, String subnet, boolean unicastPeer, Set<String> vrids) {
    static final Path DIR = Path.of("src/test/resources/keepalived").toAbsolutePath();
    /** unicast_src_ip of vrrp-pair.conf and vrrp-features.conf; every lab's eth1 has it (the labs do not share a link). */
    static final String ETH1 = "198.19.11.1/24";
    /** Their unicast_peer, which no node answers for. */
    static final String ABSENT_PEER = "198.19.11.2";

    /** Every fixture keepalived 2.2.7 runs (hmac.conf stays out: auth_hmac is 2.4's). */
    static final List<WireFixture> ALL = List.of(
            new WireFixture("vrrp-pair.conf", "198.19.10", true, Set.of("51", "52", "53")),
            new WireFixture("lvs-nat.conf", "198.19.12", false, Set.of("51")),
            new WireFixture("lvs-dr-fwmark.conf", "198.19.13", false, Set.of("61")),
            new WireFixture("syntax.conf", "198.19.14", false, Set.of("71")),
            new WireFixture("vrrp-features.conf", "198.19.10", true, Set.of("51", "52", "53")),
            new WireFixture("fallbacks.conf", "198.19.15", false, Set.of("81", "82", "83")),
            new WireFixture("wire.conf", "198.19.18", false, Set.of("51", "52")));

    Path path() {
        return DIR.resolve(file);
    }

    /** A node in a new lab on the fixture's subnet, with eth1 and the peer's neighbour entry; returns its namespace. */
    String node(Lab lab) throws Exception {
        String ns = lab.node("lb", 1);
        Lab.sh("ip", "-n", ns, "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p");
        Lab.sh("ip", "-n", ns, "addr", "add", ETH1, "dev", "eth1");
        Lab.sh("ip", "-n", ns, "link", "set", "eth1p", "up");
        Lab.sh("ip", "-n", ns, "link", "set", "eth1", "up");
        if (unicastPeer) {
            Lab.sh("ip", "-n", ns, "neigh", "replace", ABSENT_PEER, "lladdr", "02:00:c6:13:0b:02", "dev", "eth1",
                    "nud", "permanent");
        }
        return ns;
    }

    @Override
    public String toString() {
        return file;
    }
}
