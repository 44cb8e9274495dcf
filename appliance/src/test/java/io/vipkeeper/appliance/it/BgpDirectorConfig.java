package io.vipkeeper.appliance.it;

import java.util.ArrayList;
import java.util.List;

/**
 * A director's file for {@link BgpLab}: a web (80) and an echo ({@link BgpLab#ECHO_PORT}) service on
 * the VIP, both {@code forwarding = dr, scheduler = mh} with the port in the hash, over the lab's
 * three backends, on the data plane given (nftables or ipvs: the same file otherwise), with the
 * VIP in {@code bgp.vips} or not. The health checks' pace is a parameter: the TCG VM needs a slower
 * one than this host, or a check that times out there would flap a backend.
 */
record BgpDirectorConfig(String dataPlane, String subnet, String vip, String healthCheck, String bgpCheckInterval) {
    /** This host's pace: checks every 300 ms, one failure is down, one success is up. */
    static final String FAST_CHECKS = "interval = 300ms, timeout = 200ms, rise = 1, fall = 1";
    /** The TCG VM's pace: a check every 2 s given 1.5 s, two failures in a row are down. */
    static final String SLOW_CHECKS = "interval = 2s, timeout = 1500ms, rise = 1, fall = 2";

    static BgpDirectorConfig fast(String dataPlane, String subnet, String vip) {
        return new BgpDirectorConfig(dataPlane, subnet, vip, FAST_CHECKS, "100ms");
    }

    /** Director {@code director}'s file, with {@code quorum} and the VIP announced ({@code bgp}) or not. */
    String text(int director, int quorum, boolean bgp) {
        List<String> backends = new ArrayList<>();
        for (int w = 1; w <= 3; w++) {
            backends.add("{ address = \"" + subnet + ".1" + w + "\" }");
        }
        String real = String.join(", ", backends);
        String service = """
                  %s { address = "%s", port = %d, forwarding = dr, scheduler = mh, scheduler-flags = [mh-port], quorum = %d
                    health-check { type = tcp, connect-port = 80, %s }
                    real-servers = [%s] }
                """;
        return "vipkeeper {\n  node-name = d" + director + "\n  data-plane = " + dataPlane + "\n  api.listen = \"\"\n"
                + (bgp ? "  bgp { vips = [\"" + vip + "\"], check-interval = " + bgpCheckInterval + ", withdraw-wait = 1s }\n" : "")
                + "  ipvs {\n    reconcile-interval = 1s\n    virtual-servers {\n"
                + service.formatted("web", vip, 80, quorum, healthCheck, real)
                + service.formatted("echo", vip, BgpLab.ECHO_PORT, quorum, healthCheck, real)
                + "    }\n  }\n}\n";
    }
}
