package io.vipkeeper.appliance.health;

import io.netty.channel.EventLoopGroup;
import io.vipkeeper.appliance.config.HealthCheck.HealthCheckType;
import io.vipkeeper.appliance.config.HealthCheck.InitialState;
import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.config.RealServer;
import io.vipkeeper.appliance.config.VirtualServer;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.script.ProcessRunner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the health of every real server of the IPVS settings on a shared event loop group, with
 * rise/fall, and tells a listener when one goes up or down. {@link #apply} starts and reloads.
 */
public final class HealthMonitor implements HealthView, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);
    /** Script checks run on at most this many threads at once; more wait (and may time out). */
    private static final int SCRIPT_THREADS = 16;

    private final EventLoopGroup group;
    private final HealthListener listener;
    private final Clock clock = Clock.systemUTC();
    private final TlsContexts tls = new TlsContexts();
    private final ThreadPoolExecutor scriptThreads;
    private final Probes probes;
    /** Checks by virtual server name and real server, in config order; replaced whole by apply. */
    private volatile Map<String, Map<BackendKey, RealServerCheck>> checks = Map.of();
    private boolean closed;

    /**
     * @param group the loops checks run on (epoll or NIO), shared with others; not shut down by close
     * @param listener told about every up/down change, from a loop thread
     */
    public HealthMonitor(EventLoopGroup group, HealthListener listener) {
        this.group = group;
        this.listener = listener;
        AtomicInteger n = new AtomicInteger();
        // Worker threads are made by the thread that submits, a loop thread: scripts see its network namespace.
        this.scriptThreads = new ThreadPoolExecutor(SCRIPT_THREADS, SCRIPT_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "health-script-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        scriptThreads.allowCoreThreadTimeOut(true);
        this.probes = new Probes(new Transports(group), tls, new ProcessRunner(scriptThreads));
    }

    /**
     * Starts checking the real servers of {@code settings}, or moves to them from the last settings:
     * unchanged checks go on as they are, new ones start in their initial state, changed ones keep
     * their state with fresh counters, removed ones stop. Thread-safe.
     */
    public synchronized void apply(IpvsSettings settings) {
        if (closed) {
            throw new IllegalStateException("health monitor is closed");
        }
        tls.clear();
        Map<String, Map<BackendKey, RealServerCheck>> old = checks;
        Map<String, Map<BackendKey, RealServerCheck>> next = new LinkedHashMap<>();
        List<RealServerCheck> started = new ArrayList<>();
        List<Handover> handovers = new ArrayList<>();
        for (VirtualServer vs : settings.virtualServers().values()) {
            Map<BackendKey, RealServerCheck> oldVs = old.getOrDefault(vs.name(), Map.of());
            Map<BackendKey, RealServerCheck> vsChecks = new LinkedHashMap<>();
            for (RealServer rs : vs.realServers()) {
                BackendKey key = rs.key();
                RealServerCheck previous = oldVs.get(key);
                if (previous != null && previous.settings.equals(rs.healthCheck())) {
                    vsChecks.put(key, previous);
                } else if (previous != null) {
                    RealServerCheck c = check(vs.name(), key, rs, previous);
                    handovers.add(new Handover(previous, c));
                    vsChecks.put(key, c);
                } else {
                    RealServerCheck c = check(vs.name(), key, rs, null);
                    started.add(c);
                    vsChecks.put(key, c);
                }
            }
            next.put(vs.name(), Collections.unmodifiableMap(vsChecks));
        }
        checks = Collections.unmodifiableMap(next);
        for (Map.Entry<String, Map<BackendKey, RealServerCheck>> e : old.entrySet()) {
            Map<BackendKey, RealServerCheck> kept = next.getOrDefault(e.getKey(), Map.of());
            e.getValue().forEach((key, c) -> {
                if (kept.get(key) == null) {
                    c.stop();
                }
            });
        }
        handovers.forEach(h -> h.next().takeOver(h.previous()));
        started.forEach(RealServerCheck::start);
        LOG.debug("health: {} new, {} changed, checking {} virtual server(s)", started.size(), handovers.size(),
                next.size());
    }

    /** A real server whose check settings changed: {@code next} takes over from {@code previous}. */
    private record Handover(RealServerCheck previous, RealServerCheck next) {
    }

    private RealServerCheck check(String vs, BackendKey key, RealServer rs, RealServerCheck previous) {
        Probe probe = probes.create(rs);
        boolean none = rs.healthCheck().type() == HealthCheckType.NONE;
        if (previous != null) {
            return new RealServerCheck(vs, key, rs.healthCheck(), previous.loop, probe, this::changed, clock,
                    previous.health().up(), previous.health().lastChange(), previous.health().lastResult());
        }
        boolean up = none || rs.healthCheck().initialState() == InitialState.UP;
        return new RealServerCheck(vs, key, rs.healthCheck(), group.next(), probe, this::changed, clock, up,
                clock.instant(), none ? "not checked" : "not checked yet");
    }

    /** Logs a change once and tells the listener; runs on the check's loop, holding no lock. */
    private void changed(RealServerCheck c, boolean up, String reason, int run) {
        if (run == 0) {
            LOG.info("health: vs {} {} {}: {}", c.virtualServer, c.dest, up ? "UP" : "DOWN", reason);
        } else if (up) {
            LOG.info("health: vs {} {} UP after {} success(es): {}", c.virtualServer, c.dest, run, reason);
        } else {
            LOG.warn("health: vs {} {} DOWN after {} failure(s): {}", c.virtualServer, c.dest, run, reason);
        }
        try {
            listener.changed(c.virtualServer, c.dest, up, reason);
        } catch (RuntimeException e) {
            LOG.error("health: listener failed on vs {} {}", c.virtualServer, c.dest, e);
        }
    }

    @Override
    public Map<String, Map<BackendKey, RealServerHealth>> health() {
        Map<String, Map<BackendKey, RealServerHealth>> out = new LinkedHashMap<>();
        checks.forEach((vs, servers) -> {
            Map<BackendKey, RealServerHealth> m = new LinkedHashMap<>();
            servers.forEach((key, c) -> m.put(key, c.health()));
            out.put(vs, Collections.unmodifiableMap(m));
        });
        return Collections.unmodifiableMap(out);
    }

    /** Stops every check (the event loop group stays, it is shared). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        checks.values().forEach(m -> m.values().forEach(RealServerCheck::stop));
        scriptThreads.shutdownNow();
    }
}
