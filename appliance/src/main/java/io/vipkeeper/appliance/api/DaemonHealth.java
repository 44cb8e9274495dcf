package io.vipkeeper.appliance.api;

import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.appliance.config.Durations;
import io.vipkeeper.appliance.dataplane.DataPlaneStatus;
import io.vipkeeper.vrrp.fsm.PeerMismatch;
import io.vipkeeper.vrrp.fsm.PeerMismatches;
import io.vipkeeper.vrrp.fsm.RouterState;
import io.vipkeeper.vrrp.fsm.VirtualRouter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rule behind {@code GET /healthz}: the daemon is healthy unless
 * <ul>
 * <li>a VRRP instance is in FAULT (its own interface down, a tracked interface or script at
 *     weight 0, a faulty sync group member): the node cannot take over its addresses; or</li>
 * <li>a VRRP instance gets adverts for its VRID from a sender configured differently
 *     ({@link io.vipkeeper.vrrp.fsm.MismatchReason}: version, authentication, advert interval, not
 *     a unicast peer, which it drops; or other addresses, which a checking peer drops), the last
 *     one within {@value PeerMismatches#WINDOW_MASTER_DOWN_INTERVALS} Master_Down_Intervals at the
 *     slower of the two advert intervals ({@link PeerMismatch#active()}): one side does not hear
 *     the other, so both are likely master; or</li>
 * <li>the data plane manager cannot reach the kernel: it has never read the kernel's table, or its last
 *     successful read is older than {@link #STALE_INTERVALS} reconcile intervals (every run reads
 *     the table first, so only a kernel without IPVS, refused netlink or failing runs leave it
 *     that old).</li>
 * </ul>
 * The reason names the manager's {@linkplain DataPlaneStatus#lastError() last error} when it has one,
 * and says so when it has none: a stale table without a failed run means runs stopped finishing.
 * BACKUP and INITIALIZE are healthy: a backup is doing its job, and INITIALIZE is a start or a
 * stop in progress. Unhealthy real servers are not the daemon's fault and do not count.
 */
public final class DaemonHealth {
    /** Reconcile intervals without a kernel read after which IPVS counts as unreachable. */
    static final int STALE_INTERVALS = 3;

    private final StatusInputs inputs;
    private final Clock clock;

    /** The rule over {@code inputs}, judging ages on {@code clock}. */
    public DaemonHealth(StatusInputs inputs, Clock clock) {
        this.inputs = inputs;
        this.clock = clock;
    }

    /** Why the daemon is unhealthy, one reason per line; empty when healthy. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, VirtualRouter> e : inputs.routers().entrySet()) {
            VirtualRouter r = e.getValue();
            if (r.state() == RouterState.FAULT) {
                StringBuilder why = new StringBuilder();
                r.faults().forEach((source, reason) -> why.append(why.length() == 0 ? "" : "; ").append(source)
                        .append(": ").append(reason));
                problems.add("vrrp instance " + e.getKey() + " is in FAULT" + (why.length() == 0 ? "" : " (" + why + ")"));
            }
            for (PeerMismatch m : r.mismatches()) {
                if (m.active()) {
                    problems.add("vrrp instance " + e.getKey() + " " + (m.reason().dropped() ? "drops" : "accepts")
                            + " adverts for VRID " + r.config().virtualRouterId() + " from " + Addresses.format(m.peer())
                            + " configured differently: " + m.reason().label() + " (" + m.detail() + "), " + m.count()
                            + " so far; " + m.reason().consequence());
                }
            }
        }
        String engine = inputs.dataPlane().map(c -> c.engine()).orElse("ipvs");
        inputs.ipvs().flatMap(m -> ipvsProblem(m, engine)).ifPresent(problems::add);
        return problems;
    }

    private Optional<String> ipvsProblem(DataPlaneStatus m, String engine) {
        // The IPVS wording is older than the nftables engine, and operators' checks may match it.
        String table = engine.equals("ipvs") ? "the kernel's IPVS table" : "the " + engine + " table";
        String hint = engine.equals("ipvs") ? "is the ip_vs module loaded?" : "is libnftables1 installed?";
        Optional<Instant> readAt = m.lastTableAt();
        String why = m.lastError().map(e -> ": " + e).orElse("");
        if (readAt.isEmpty()) {
            return Optional.of(engine + ": " + table + " could not be read yet" + why + " (" + m.failures()
                    + " failure(s); " + hint + ")");
        }
        Duration interval = inputs.settings().ipvs().reconcileInterval();
        Duration age = Duration.between(readAt.get(), clock.instant());
        if (age.compareTo(interval.multipliedBy(STALE_INTERVALS)) > 0) {
            return Optional.of(engine + ": " + table + " was last read " + Durations.format(age.withNanos(0))
                    + " ago" + (why.isEmpty() ? " and no run failed since: reconcile runs are not finishing" : why)
                    + " (reconcile-interval " + Durations.format(interval) + "; " + m.failures() + " failure(s))");
        }
        return Optional.empty();
    }
}
