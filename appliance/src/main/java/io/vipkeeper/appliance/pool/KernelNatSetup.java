package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.config.VirtualServer;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.realserver.Sysctl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What NAT services need around IPVS: forwarding on, {@code net.ipv4.vs.conntrack=1} for SNAT, and
 * vipkeeper's nftables table with the masquerade rules. Kept so by the IPVS reconcile runs: a
 * table edited or deleted by hand is put back (and the repair logged); removed on shutdown.
 * Sysctls are only ever raised to what NAT needs, never restored (they are host-wide).
 */
public final class KernelNatSetup implements NatSetup {
    private static final Logger log = LoggerFactory.getLogger(KernelNatSetup.class);

    /** IPVS keeps its connections in conntrack only with this set, which SNAT needs. */
    private static final Sysctl IPVS_CONNTRACK = new Sysctl("net.ipv4.vs.conntrack");
    private static final java.nio.file.Path IPVS_SYSCTLS = java.nio.file.Path.of("/proc/sys/net/ipv4/vs");

    private final Nft nft;
    private List<String> appliedRules = List.of();
    /** nft's own listing of the table right after vipkeeper wrote it; null while vipkeeper has none. */
    private String appliedListing;

    /** Uses {@code nft} for the rules. */
    public KernelNatSetup(Nft nft) {
        this.nft = nft;
    }

    /** The sysctls {@code s} needs, with their values. */
    static Map<Sysctl, Integer> sysctls(IpvsSettings s) {
        Map<Sysctl, Integer> wanted = new LinkedHashMap<>();
        for (VirtualServer vs : s.virtualServers().values()) {
            boolean nat = vs.realServers().stream().anyMatch(rs -> rs.forwarding() == Forwarding.NAT);
            if (nat) {
                wanted.put(vs.ipv6() ? new Sysctl("net.ipv6.conf.all.forwarding") : new Sysctl("net.ipv4.ip_forward"), 1);
            }
            if (nat && vs.snat()) {
                wanted.put(IPVS_CONNTRACK, 1);
            }
        }
        return wanted;
    }

    /**
     * Brings sysctls and the table in line with {@code s}.
     *
     * @param why the run, for the log
     */
    @Override
    public void reconcile(IpvsSettings s, java.util.Map<io.vipkeeper.appliance.dataplane.ServiceKey,
            io.vipkeeper.appliance.dataplane.ActualService> inKernel, ReconcileRun why) {
        sysctls(s).forEach((sysctl, value) -> {
            if (sysctl.equals(IPVS_CONNTRACK) && !java.nio.file.Files.isDirectory(IPVS_SYSCTLS)) {
                return; // no IPVS loaded: the nftables engine DNATs in conntrack anyway
            }
            int now = sysctl.read();
            if (now != value) {
                sysctl.write(value);
                log.info("nat: {} = {} (was {})", sysctl, value, now);
            }
        });
        List<String> rules = SnatRules.rules(s, inKernel);
        if (rules.isEmpty() && appliedListing == null) {
            return;
        }
        boolean unchanged = rules.equals(appliedRules) && appliedListing != null;
        if (unchanged && nft.list(SnatRules.TABLE).equals(appliedListing)) {
            return;
        }
        nft.apply(SnatRules.script(rules));
        appliedRules = rules;
        appliedListing = rules.isEmpty() ? null : nft.list(SnatRules.TABLE);
        if (unchanged) {
            log.warn("nat repaired drift: table {} was changed outside vipkeeper; rewrote its {} rule(s)",
                    SnatRules.TABLE, rules.size());
        } else {
            // New rules in a periodic run follow the table (a drained real server left), not an edit.
            log.info("nat {}: table {} with {} masquerade rule(s)",
                    why == ReconcileRun.PERIODIC ? "updated" : why.label(), SnatRules.TABLE, rules.size());
        }
    }

    /** Removes vipkeeper's table (shutdown). */
    @Override
    public void remove() {
        if (appliedListing != null) {
            nft.apply(SnatRules.script(List.of()));
            log.info("nat: removed table {}", SnatRules.TABLE);
        }
        appliedListing = null;
        appliedRules = List.of();
    }
}
