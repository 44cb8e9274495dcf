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
 * On top of it, the effective weight: the one place where config weight, runtime weight (an
 * operator's {@code vipkeeper backend weight}), admin state ({@link AdminState}), health, the sorry
 * server (quorum) and inhibit-on-failure meet. First matching row wins:
 *
 * <pre>
 * admin    | up    | sorry active | inhibit | kernel
 * ---------+-------+--------------+---------+------------------------------------------------
 * disabled | any   | any          | any     | OUT (deleted now, as a failed check would; inhibit
 *          |       |              |         |   keeps a down server, not one the operator took out)
 * any      | false | any          | false   | OUT
 * any      | false | any          | true    | ZERO
 * any      | true  | yes          | false   | OUT
 * any      | true  | yes          | true    | ZERO
 * drained  | true  | no           | any     | ZERO (weight 0: established connections finish)
 * enabled  | true  | no           | any     | IN at the runtime weight if set, else the config weight
 * </pre>
 *
 * Quorum, with hysteresis H around quorum Q, over the live weight W (sum of the weights of the up
 * servers the operator left enabled, each at its runtime weight if set, else its config weight): a service with quorum goes down when W &lt; Q - H or W = 0; one without comes back
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
     * Where a backend stands and at what weight.
     *
     * @param placement in, at weight 0, or out
     * @param weight the kernel weight (0 unless IN)
     */
    public record Effective(Placement placement, int weight) {
    }

    /** The effective weight: the second truth table above. */
    public static Effective effective(int configWeight, BackendAdmin admin, boolean up, boolean inhibitOnFailure,
            boolean sorryActive) {
        if (admin.state() == AdminState.DISABLED) {
            return new Effective(Placement.OUT, 0);
        }
        Placement p = realServer(up, inhibitOnFailure, sorryActive);
        if (p != Placement.IN) {
            return new Effective(p, 0);
        }
        if (admin.state() == AdminState.DRAINED) {
            return new Effective(Placement.ZERO, 0);
        }
        return new Effective(Placement.IN, admin.weight() != null ? admin.weight() : configWeight);
    }

    /** What one backend adds to its virtual server's live weight (the quorum's W above). */
    public static long liveWeight(int configWeight, BackendAdmin admin, boolean up) {
        if (!up || admin.state() != AdminState.ENABLED) {
            return 0;
        }
        return admin.weight() != null ? admin.weight() : configWeight;
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
