package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.config.RealServer;
import io.vipkeeper.appliance.config.VirtualServer;
import io.vipkeeper.appliance.health.RealServerHealth;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.pool.PoolPolicy.Placement;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One virtual server's pool: the health of its real servers and its quorum state, turned into the
 * destinations it wants through {@link PoolPolicy}. Owned by the ipvs thread.
 */
final class Pool {
    private VirtualServer vs;
    private final Map<BackendKey, Boolean> up = new HashMap<>();
    private final Map<BackendKey, String> reasons = new HashMap<>();
    /** The operator's runtime states of the backends not at {@link BackendAdmin#DEFAULT}. */
    private final Map<BackendKey, BackendAdmin> admin = new HashMap<>();
    private boolean quorumUp;

    /** A pool starting from the health monitor's view ({@code health} may lack servers: up). */
    Pool(VirtualServer vs, Map<BackendKey, RealServerHealth> health) {
        this(vs, health, Map.of());
    }

    /** The same with the operator's runtime states ({@code admin}, by backend). */
    Pool(VirtualServer vs, Map<BackendKey, RealServerHealth> health, Map<BackendKey, BackendAdmin> admin) {
        this.vs = vs;
        this.admin.putAll(admin);
        adopt(health, Map.of());
        quorumUp = PoolPolicy.quorumUp(false, liveWeight(), vs.quorum(), vs.hysteresis());
    }

    /** A reload: kept servers keep their health, new ones take the monitor's; the quorum is re-judged. */
    List<String> reconfigure(VirtualServer next, Map<BackendKey, RealServerHealth> health,
            Map<BackendKey, BackendAdmin> runtime) {
        vs = next;
        admin.clear();
        admin.putAll(runtime);
        Map<BackendKey, Boolean> before = new HashMap<>(up);
        up.clear();
        adopt(health, before);
        reasons.keySet().retainAll(up.keySet());
        return judgeQuorum();
    }

    /** The monitor's view of each real server, else what the pool knew ({@code before}), else up. */
    private void adopt(Map<BackendKey, RealServerHealth> health, Map<BackendKey, Boolean> before) {
        for (RealServer rs : vs.realServers()) {
            BackendKey k = rs.key();
            RealServerHealth h = health.get(k);
            up.put(k, h != null ? h.up() : before.getOrDefault(k, true));
            if (h != null && !h.up()) {
                reasons.put(k, h.lastResult());
            }
        }
    }

    /**
     * A health change of one real server; returns what the pool did, one line each (empty when
     * nothing changed or the server is unknown).
     */
    List<String> health(BackendKey rs, boolean isUp, String reason) {
        Boolean before = up.get(rs);
        if (before == null || before == isUp) {
            return List.of();
        }
        up.put(rs, isUp);
        reasons.put(rs, reason);
        List<String> events = new ArrayList<>();
        boolean sorry = sorryActive();
        Placement p = PoolPolicy.effective(1, adminOf(rs), isUp, vs.inhibitOnFailure(), sorry).placement();
        events.add(rs + " " + (isUp ? "UP" : "DOWN") + " (" + reason + "): " + describe(p, sorry, adminOf(rs)));
        events.addAll(judgeQuorum());
        return events;
    }

    /** An operator's runtime change of one backend; returns what the quorum did, if anything. */
    List<String> admin(BackendKey rs, BackendAdmin state) {
        if (state.isDefault()) {
            admin.remove(rs);
        } else {
            admin.put(rs, state);
        }
        return judgeQuorum();
    }

    private BackendAdmin adminOf(BackendKey rs) {
        return admin.getOrDefault(rs, BackendAdmin.DEFAULT);
    }

    private List<String> judgeQuorum() {
        long w = liveWeight();
        boolean next = PoolPolicy.quorumUp(quorumUp, w, vs.quorum(), vs.hysteresis());
        if (next == quorumUp) {
            return List.of();
        }
        quorumUp = next;
        String sorry = vs.sorryServer().map(s -> next ? ", sorry server " + format(s) + " out, real servers back"
                : ", sorry server " + format(s) + " in, real servers out").orElse(next ? "" : ", no sorry server");
        return List.of((next ? "gained quorum" : "lost quorum") + " (live weight " + w + ", quorum " + vs.quorum()
                + " hysteresis " + vs.hysteresis() + ")" + sorry);
    }

    private static String describe(Placement p, boolean sorry, BackendAdmin a) {
        return switch (p) {
            case IN -> "in the pool";
            case ZERO -> sorry ? "weight 0 (sorry server in)" : a.state() == AdminState.DRAINED
                    ? "weight 0 (drained by the operator)" : "weight 0 (inhibit-on-failure)";
            case OUT -> sorry ? "out (sorry server in)" : a.state() == AdminState.DISABLED
                    ? "out (disabled by the operator)" : "removed";
        };
    }

    private boolean sorryActive() {
        return PoolPolicy.sorryActive(quorumUp, vs.sorryServer().isPresent());
    }

    private long liveWeight() {
        long w = 0;
        for (RealServer rs : vs.realServers()) {
            w += PoolPolicy.liveWeight(rs.weight(), adminOf(rs.key()), up.getOrDefault(rs.key(), true));
        }
        return w;
    }

    /** Whether the quorum is held. */
    boolean quorumUp() {
        return quorumUp;
    }

    /** The destinations the policy wants now. */
    DesiredService desired() {
        Map<BackendKey, BackendSpec> dests = new LinkedHashMap<>();
        Map<BackendKey, String> removeNow = new LinkedHashMap<>();
        boolean sorry = sorryActive();
        for (RealServer rs : vs.realServers()) {
            BackendKey k = rs.key();
            boolean isUp = up.getOrDefault(k, true);
            BackendAdmin a = adminOf(k);
            PoolPolicy.Effective e = PoolPolicy.effective(rs.weight(), a, isUp, vs.inhibitOnFailure(), sorry);
            switch (e.placement()) {
                case IN, ZERO -> dests.put(k, DesiredServices.dest(rs, e.weight()));
                case OUT -> removeNow.put(k, a.state() == AdminState.DISABLED ? "disabled by the operator"
                        : isUp ? "quorum lost, sorry server in" : "down: " + reasons.getOrDefault(k, "failed check"));
            }
        }
        Optional<InetSocketAddress> s = vs.sorryServer();
        if (s.isPresent()) {
            BackendKey k = new BackendKey(s.get().getAddress(), s.get().getPort());
            if (sorry) {
                dests.put(k, new BackendSpec(k, vs.forwarding(), 1, 0, 0));
                removeNow.remove(k);
            } else if (!dests.containsKey(k)) {
                removeNow.put(k, "sorry server, quorum held");
            }
        }
        return new DesiredService(DesiredServices.spec(vs), dests, removeNow);
    }

    private static String format(InetSocketAddress a) {
        return io.vipkeeper.appliance.config.Addresses.format(a);
    }
}
