package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.config.VirtualServer;
import io.vipkeeper.appliance.health.HealthView;
import io.vipkeeper.appliance.health.RealServerHealth;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every virtual server's {@link Pool}: health changes and reloads in, the table the kernel should
 * have out. Logs each pool decision once and runs notify programs. Used on the ipvs thread only.
 */
final class Pools {
    private static final Logger log = LoggerFactory.getLogger(Pools.class);

    private final HealthView view;
    private final PoolNotify notify;
    private final AtomicLong changes = new AtomicLong();
    private Map<String, Pool> pools = new LinkedHashMap<>();
    private IpvsSettings settings;

    Pools(HealthView view, PoolNotify notify) {
        this.view = view;
        this.notify = notify;
    }

    /**
     * Takes new settings (start, reload): kept pools keep their state; returns the desired table
     * (a fresh mutable map, the caller's to keep up to date with {@link #health}).
     */
    Map<ServiceKey, DesiredService> install(IpvsSettings s, RuntimeState runtime) {
        settings = s;
        Map<String, Map<BackendKey, RealServerHealth>> health = view.health();
        Map<String, Pool> next = new LinkedHashMap<>();
        Map<ServiceKey, DesiredService> desired = new LinkedHashMap<>();
        for (VirtualServer vs : s.virtualServers().values()) {
            Map<BackendKey, RealServerHealth> h = health.getOrDefault(vs.name(), Map.of());
            Pool p = pools.get(vs.name());
            if (p == null) {
                p = new Pool(vs, h, runtime.of(vs.name()));
            } else {
                p.reconfigure(vs, h, runtime.of(vs.name())).forEach(e -> event(vs.name(), e));
            }
            next.put(vs.name(), p);
            DesiredService d = p.desired();
            desired.put(d.spec().key(), d);
        }
        pools = next;
        return desired;
    }

    /** A real server went up or down: the changed service's desired state, if the pool changed. */
    Optional<DesiredService> health(String virtualServer, BackendKey realServer, boolean up, String reason) {
        Pool p = pools.get(virtualServer);
        if (p == null) {
            return Optional.empty();
        }
        List<String> events = p.health(realServer, up, reason);
        if (events.isEmpty()) {
            return Optional.empty();
        }
        events.forEach(e -> event(virtualServer, e));
        settings.virtualServers().get(virtualServer).realServers().stream()
                .filter(rs -> rs.key().equals(realServer)).findFirst()
                .ifPresent(rs -> notify.changed(virtualServer, rs, up));
        return Optional.of(p.desired());
    }

    /** An operator's runtime change of a backend: the service's desired state after it. */
    Optional<DesiredService> admin(String virtualServer, BackendKey realServer, BackendAdmin state) {
        Pool p = pools.get(virtualServer);
        if (p == null) {
            return Optional.empty();
        }
        p.admin(realServer, state).forEach(e -> event(virtualServer, e));
        return Optional.of(p.desired());
    }

    private void event(String vs, String event) {
        changes.incrementAndGet();
        log.info("pool {}: {}", vs, event);
    }

    /** Whether each virtual server holds its quorum, by name. */
    Map<String, Boolean> quorums() {
        Map<String, Boolean> q = new LinkedHashMap<>();
        pools.forEach((name, p) -> q.put(name, p.quorumUp()));
        return Map.copyOf(q);
    }

    /** Pool decisions so far (any thread). */
    long changes() {
        return changes.get();
    }

    /** Completes when the notify programs queued so far have run. */
    CompletableFuture<?> notifyIdle() {
        return notify.idle();
    }
}
