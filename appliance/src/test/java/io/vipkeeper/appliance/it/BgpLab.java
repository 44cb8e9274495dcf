package io.vipkeeper.appliance.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The BGP ECMP lab of issue 19 on one bridge ({@code SUBNET}.0/24): a router (.1, FRR: zebra,
 * bgpd, bfdd, AS 65000, ECMP with an L4 multipath hash), directors d1..dN (.21, ...; each with
 * its own FRR in AS 6500N that redistributes the connected VIPs of vipkeeper's tun device
 * through a prefix list, as conf/samples/bgp-frr.frr), web backends web1..webM (.11, ...;
 * busybox httpd on port 80, a Python echo server on {@link #ECHO_PORT}, the VIP on lo as
 * {@code vipkeeper realserver up} puts it) and a client (.50) that reaches the VIP through the
 * router. The directors forward by dr (MAC rewrite; nftables or IPVS, {@link BgpDirectorConfig}), so the backends answer the client
 * directly, and a flow that moves to another director keeps its backend (mh). Each director
 * counts the VIP's packets it receives in {@code table netdev seen}.
 */
final class BgpLab implements AutoCloseable {
    /** The long-lived connections' port: an echo server on every backend. */
    static final int ECHO_PORT = 9000;
    private final Lab lab;
    private final String vip;
    private final Frr router;
    private final List<Frr> directors = new ArrayList<>();

    private BgpLab(Lab lab, String vip, Frr router) {
        this.lab = lab;
        this.vip = vip;
        this.router = router;
    }

    /**
     * The lab on {@code subnet}.0/24 with the VIP {@code vip} (outside that subnet), {@code directors}
     * directors of which those in {@code withBfd} (1-based) run BFD at 300 ms x 3 with the router,
     * and {@code webs} backends. Every director's BGP session has timers 1 3 (hold 3 s).
     */
    static BgpLab create(Path dir, String subnet, String vip, int directors, List<Integer> withBfd, int webs) throws Exception {
        return create(dir, subnet, vip, directors, withBfd, webs, 1, 3);
    }

    /**
     * The same with BGP timers {@code keepalive} and {@code hold} (seconds) on every session: the
     * TCG VM, where FRR runs several times slower, needs longer ones than this host.
     */
    static BgpLab create(Path dir, String subnet, String vip, int directors, List<Integer> withBfd, int webs,
            int keepalive, int hold) throws Exception {
        String timers = " timers " + keepalive + " " + hold + "\n";
        Lab lab = Lab.create(subnet);
        try {
            String routerNs = lab.node("router", 1);
            WebBackends.add(lab, dir, webs, 80);
            for (int i = 1; i <= webs; i++) {
                String ns = lab.ns("web" + i);
                Lab.sh("ip", "-n", ns, "addr", "add", vip + "/32", "dev", "lo");
                Lab.sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1",
                        "net.ipv4.conf.all.arp_announce=2", "net.ipv4.conf.eth0.arp_ignore=1", "net.ipv4.conf.eth0.arp_announce=2");
                // Replies to the client leave through the router, never through a director.
                Lab.sh("ip", "-n", ns, "route", "add", "default", "via", subnet + ".1");
                lab.own(WebBackends.background(ns, null, "python3", "-c", ECHO_SERVER, Integer.toString(ECHO_PORT), "web" + i));
            }
            String client = lab.node("client", 50);
            Lab.sh("ip", "-n", client, "route", "add", vip + "/32", "via", subnet + ".1");
            // L4 hash: flows of one client spread over the nexthops; one link, so no redirects.
            Lab.sh("ip", "netns", "exec", routerNs, "sysctl", "-qw", "net.ipv4.ip_forward=1",
                    "net.ipv4.fib_multipath_hash_policy=1", "net.ipv4.conf.all.send_redirects=0",
                    "net.ipv4.conf.eth0.send_redirects=0");
            StringBuilder neighbours = new StringBuilder();
            StringBuilder bfdPeers = new StringBuilder();
            for (int i = 1; i <= directors; i++) {
                String address = subnet + ".2" + i;
                neighbours.append(" neighbor ").append(address).append(" remote-as ").append(65000 + i).append('\n')
                        .append(" neighbor ").append(address).append(timers)
                        .append(" neighbor ").append(address).append(" timers connect 1\n");
                if (withBfd.contains(i)) {
                    neighbours.append(" neighbor ").append(address).append(" bfd\n");
                    bfdPeers.append(bfdPeer(address));
                }
            }
            Frr router = Frr.start(lab, routerNs, """
                    frr defaults datacenter
                    hostname router
                    router bgp 65000
                     bgp router-id %s.1
                     no bgp ebgp-requires-policy
                     bgp bestpath as-path multipath-relax
                    %s address-family ipv4 unicast
                      maximum-paths 16
                     exit-address-family
                    bfd
                    %s""".formatted(subnet, neighbours, bfdPeers));
            BgpLab bgp = new BgpLab(lab, vip, router);
            for (int i = 1; i <= directors; i++) {
                bgp.director(i, subnet, withBfd.contains(i), timers);
            }
            return bgp;
        } catch (Exception | Error e) {
            lab.close();
            throw e;
        }
    }

    private static String bfdPeer(String address) {
        return " peer " + address + "\n  receive-interval 300\n  transmit-interval 300\n  detect-multiplier 3\n";
    }

    private void director(int i, String subnet, boolean bfd, String timers) throws Exception {
        String ns = lab.node("d" + i, 20 + i);
        String router = subnet + ".1";
        String vipNet = vip.substring(0, vip.lastIndexOf('.')) + ".0/24";
        directors.add(Frr.start(lab, ns, """
                frr defaults datacenter
                hostname d%d
                ip prefix-list VIPKEEPER-VIPS seq 5 permit %s ge 32
                route-map VIPKEEPER-VIPS permit 10
                 match ip address prefix-list VIPKEEPER-VIPS
                 match interface vipkeeper-bgp
                router bgp %d
                 bgp router-id %s.2%d
                 no bgp ebgp-requires-policy
                 neighbor %s remote-as 65000
                 neighbor %s%s neighbor %s timers connect 1
                %s address-family ipv4 unicast
                  redistribute connected route-map VIPKEEPER-VIPS
                 exit-address-family
                bfd
                %s""".formatted(i, vipNet, 65000 + i, subnet, i, router, router, timers, router,
                bfd ? " neighbor " + router + " bfd\n" : "", bfd ? bfdPeer(router) : "")));
        Lab.sh("ip", "netns", "exec", ns, "nft", "add table netdev seen; add chain netdev seen in { type filter"
                + " hook ingress device eth0 priority -10; }; add rule netdev seen in ip daddr " + vip + " counter");
    }

    Lab lab() {
        return lab;
    }

    String vip() {
        return vip;
    }

    /** Director {@code i}'s FRR (1-based). */
    Frr frr(int i) {
        return directors.get(i - 1);
    }

    Frr router() {
        return router;
    }

    /** The nexthops the router's kernel has for the VIP (director addresses), from {@code ip route show VIP}. */
    List<String> nexthops() throws Exception {
        String route = Lab.sh("ip", "-n", lab.ns("router"), "route", "show", vip + "/32");
        List<String> hops = new ArrayList<>();
        Matcher m = Pattern.compile("via (\\S+)").matcher(route);
        while (m.find()) {
            hops.add(m.group(1));
        }
        return hops;
    }

    /** Packets for the VIP each director received so far, by director name. */
    Map<String, Long> packetsByDirector() throws Exception {
        Map<String, Long> seen = new TreeMap<>();
        for (int i = 1; i <= directors.size(); i++) {
            Matcher m = Pattern.compile("counter packets (\\d+)").matcher(Lab.sh("ip", "netns", "exec", lab.ns("d" + i), "nft",
                    "list chain netdev seen in"));
            seen.put("d" + i, m.find() ? Long.parseLong(m.group(1)) : -1);
        }
        return seen;
    }

    @Override
    public void close() {
        lab.close();
    }

    /** A threaded TCP echo server: each line comes back prefixed with the backend's name (argv 2). */
    private static final String ECHO_SERVER = String.join("\n",
            "import socketserver, sys",
            "name = sys.argv[2].encode()",
            "class H(socketserver.StreamRequestHandler):",
            "    def handle(self):",
            "        for line in self.rfile:",
            "            self.wfile.write(name + b' ' + line)",
            "            self.wfile.flush()",
            "class S(socketserver.ThreadingTCPServer):",
            "    allow_reuse_address = True",
            "    daemon_threads = True",
            "S(('0.0.0.0', int(sys.argv[1])), H).serve_forever()");
}
