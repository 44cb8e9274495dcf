package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.realserver.Sysctl;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets IPVS take over flows that the routers move to this director mid-connection (bgp mode: a
 * director lost or back, ECMP re-spreads). IPVS creates a connection entry only from a TCP SYN or
 * an SCTP INIT unless {@code net.ipv4.vs.sloppy_tcp} / {@code sloppy_sctp} are 1; without them a
 * moved flow's next segment is passed to the local stack, which answers with a reset. nftables'
 * conntrack picks such a flow up by itself ({@code nf_conntrack_tcp_loose}, 1 by default), so
 * only IPVS needs this. Both sysctls belong to the daemon's network namespace; they are raised to
 * 1 while the config has bgp VIPs, put back if someone lowers them (checked every reconcile run),
 * and never lowered by vipkeeper: not at stop (flows moved here while it drained still need them,
 * and a restart would otherwise break every flow picked up so far) and not when a reload drops the
 * last bgp VIP (the same flows; an operator who wants 0 sets it). Used on the ipvs thread only.
 */
final class MovedFlowPickup {
    private static final Logger log = LoggerFactory.getLogger(MovedFlowPickup.class);

    static final Sysctl SLOPPY_TCP = new Sysctl("net.ipv4.vs.sloppy_tcp");
    static final Sysctl SLOPPY_SCTP = new Sysctl("net.ipv4.vs.sloppy_sctp");

    /** Why, in the log line that says what was set. */
    static final String WHY = "bgp VIPs: the routers may move a flow to this director mid-connection,"
            + " and IPVS takes one up without a SYN (INIT) only with these at 1";

    /** Whether this daemon already said what it set (or found). */
    private boolean said;

    /**
     * The sysctls a daemon wants in its namespace, with their values: both sloppy ones at 1 when
     * {@code bgpVips} and the engine is IPVS, none otherwise (vrrp mode, and nftables, whose
     * conntrack picks up moved flows anyway).
     */
    static Map<Sysctl, Integer> wanted(boolean bgpVips, String engine) {
        Map<Sysctl, Integer> wanted = new LinkedHashMap<>();
        if (bgpVips && engine.equals("ipvs")) {
            wanted.put(SLOPPY_TCP, 1);
            wanted.put(SLOPPY_SCTP, 1);
        }
        return wanted;
    }

    /**
     * Raises the sysctls {@link #wanted} names; says once what it set and why, and again (as a
     * warning) whenever it finds one lowered behind its back.
     *
     * @throws RuntimeException when a sysctl cannot be read or written (no permission, no IPVS)
     */
    void keep(boolean bgpVips, String engine) {
        Map<Sysctl, Integer> wanted = wanted(bgpVips, engine);
        if (wanted.isEmpty()) {
            return;
        }
        StringBuilder set = new StringBuilder();
        for (Map.Entry<Sysctl, Integer> e : wanted.entrySet()) {
            int now = e.getKey().read();
            if (now != e.getValue()) {
                e.getKey().write(e.getValue());
                set.append(set.isEmpty() ? "" : ", ").append(e.getKey()).append(" = ").append(e.getValue())
                        .append(" (was ").append(now).append(")");
            }
        }
        if (!said) {
            said = true;
            log.info("ipvs: {}; {}", set.isEmpty() ? "sloppy_tcp and sloppy_sctp already 1" : set, WHY);
        } else if (!set.isEmpty()) {
            log.warn("ipvs: {}: lowered outside vipkeeper; {}", set, WHY);
        }
    }
}
