package io.vipkeeper.appliance.daemon;

import io.vipkeeper.appliance.nftables.NftContext;
import io.vipkeeper.appliance.nftables.NftException;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run on the other engine left behind. The nftables engine's table stays in place across
 * restarts (so traffic flows while the daemon restarts), and it DNATs before routing, ahead of
 * IPVS: a daemon moved to IPVS would leave it forwarding with nothing keeping it (the operator
 * trial saw a backend marked down keep its traffic). So a daemon on IPVS removes it at start, and
 * the dr table ({@code netdev vipkeeper_dsr}, which forwards in ingress) with it.
 */
final class EngineLeftovers {
    private static final Logger log = LoggerFactory.getLogger(EngineLeftovers.class);

    private EngineLeftovers() {
    }

    /** Removes what the engine other than {@code engine} left; a host without libnftables has nothing to remove. */
    static void removeForeignTo(String engine) {
        if (!engine.equals("ipvs")) {
            return;
        }
        try (NftContext nft = new NftContext()) {
            // The dr table forwards in ingress, ahead of IPVS too.
            for (String table : new String[] {NftablesDataPlane.TABLE, NftablesDataPlane.DSR_TABLE}) {
                try {
                    nft.json("list table " + table);
                } catch (NftException absent) {
                    continue;
                }
                nft.run("delete table " + table);
                log.warn("data plane: removed table {}, left by an earlier run on the nftables data plane (this one runs"
                        + " ipvs)", table);
            }
        } catch (NftException e) {
            log.debug("data plane: nothing of the nftables engine's to remove: {}", e.getMessage());
        }
    }
}
