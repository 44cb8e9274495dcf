package io.vipkeeper.appliance.pool;

/**
 * The pool policy as a truth table: where a real server stands given its health, the virtual
 * server's quorum and its settings. keepalived's ipwrapper.c semantics: a down server leaves the
 * pool at once (or keeps weight 0 with inhibit-on-failure); when the live weight falls below the
 * quorum and a sorry server is configured, the sorry server replaces the whole pool until the
 * quorum is back; without a sorry server a lost quorum is only reported.
 *
 * <pre>
 * sorry active | up    | inhibit | real server
 * -------------+-------+---------+------------------------------
 * no           | true  | any     | IN (configured weight)
 * no           | false | false   | OUT (deleted at once)
 * no           | false | true    | ZERO (weight 0)
 * yes          | any   | false   | OUT
 * yes          | any   | true    | ZERO
 * </pre>
 *
 * Quorum, with hysteresis H around quorum Q, over the live weight W (sum of configured weights of
 * up servers): a service with quorum goes down when W &lt; Q - H or W = 0; one without comes back
 * when W &ge; Q + H and W &gt; 0. The sorry server is active exactly while the quorum is down.
 */
public final class PoolPolicy {
    private PoolPolicy() {
    }

    /** Where a real server stands in the kernel. */
    public enum Placement {
        /** In the pool with its configured weight. */
        IN,
        /** In the kernel with weight 0: takes no new connections, keeps its existing ones. */
        ZERO,
        /** Not in the kernel. */
        OUT
    }

    /** The truth table above. */
    public static Placement realServer(boolean up, boolean inhibitOnFailure, boolean sorryActive) {
        if (!sorryActive && up) {
            return Placement.IN;
        }
        return inhibitOnFailure ? Placement.ZERO : Placement.OUT;
    }

    /**
     * The quorum state after the live weight became {@code liveWeight}.
     *
     * @param wasUp the quorum state before
     * @param liveWeight sum of configured weights of the servers that are up
     * @param quorum the virtual server's quorum
     * @param hysteresis slack around it (at most the quorum)
     */
    public static boolean quorumUp(boolean wasUp, long liveWeight, int quorum, int hysteresis) {
        if (wasUp) {
            return liveWeight > 0 && liveWeight >= quorum - hysteresis;
        }
        return liveWeight > 0 && liveWeight >= quorum + hysteresis;
    }

    /** The sorry server takes the pool while the quorum is down, if there is one. */
    public static boolean sorryActive(boolean quorumUp, boolean hasSorryServer) {
        return hasSorryServer && !quorumUp;
    }
}
