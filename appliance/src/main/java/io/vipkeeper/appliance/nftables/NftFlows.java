package io.vipkeeper.appliance.nftables;

import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.DataPlane;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's flows to its backends as conntrack holds them, for what IPVS does with connections
 * of its own: each backend's established count (what the shared drain waits for before it deletes
 * a removed backend) and, when a backend is deleted, the cut of its flows (otherwise conntrack
 * keeps forwarding an established flow to it for as long as it lives). A flow is the service's
 * when its original destination is the VIP and port and its protocol the service's; it is the
 * backend's when its reply comes from the backend's address and port (DNAT rewrote it there).
 */
final class NftFlows implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NftFlows.class);
    /** The conntrack table, opened at first use; null when it cannot be (then no counts, no cuts). */
    private Conntrack conntrack;
    private boolean unavailable;

    /**
     * The entries to one of {@code vips}, or none when conntrack cannot be read (the engine
     * balances on without counts or cuts).
     */
    private List<Conntrack.Flow> toVips(Set<java.net.InetAddress> vips) {
        Conntrack ct = conntrack();
        if (ct == null) {
            return List.of();
        }
        try {
            return ct.dump(f -> vips.contains(f.original().dst()));
        } catch (RuntimeException e) {
            log.warn("nftables could not read conntrack, no connection counts: {}", e.toString());
            close();
            return List.of();
        }
    }

    private Conntrack conntrack() {
        if (conntrack == null && !unavailable) {
            try {
                conntrack = new Conntrack();
            } catch (RuntimeException e) {
                unavailable = true;
                log.warn("nftables has no ctnetlink, so no connection counts and no cut at a drain's end: {}", e.toString());
            }
        }
        return conntrack;
    }

    /** {@code table} with each backend's established flows as its active connections. */
    Map<ServiceKey, ActualService> counted(Map<ServiceKey, ActualService> table) {
        return table.isEmpty() ? table : counted(table, toVips(vips(table.keySet())));
    }

    /** Cuts the flows of the backends in {@code gone}; a failure is logged, the table change stands. */
    void cut(Map<ServiceKey, Set<BackendKey>> gone) {
        Conntrack ct = gone.isEmpty() ? null : conntrack();
        if (ct == null) {
            return;
        }
        try {
            cut(ct, gone);
        } catch (RuntimeException e) {
            log.warn("nftables could not cut the flows of {}: {}", gone, e.toString());
        }
    }

    @Override
    public void close() {
        if (conntrack != null) {
            conntrack.close();
            conntrack = null;
        }
    }

    /** The addresses of {@code services} (a mark service has none of its own). */
    private static Set<java.net.InetAddress> vips(Set<ServiceKey> services) {
        Set<java.net.InetAddress> vips = new java.util.HashSet<>();
        services.stream().filter(k -> !k.isFwmark()).forEach(k -> vips.add(k.address()));
        return vips;
    }

    /** Whether {@code f} is a flow of {@code service} forwarded to {@code backend}. */
    static boolean of(Conntrack.Flow f, ServiceKey service, BackendKey backend) {
        return !service.isFwmark() && f.protocol() == service.protocol() && f.original().dst().equals(service.address())
                && f.original().dstPort() == service.port() && f.reply().src().equals(backend.address())
                && f.reply().srcPort() == backend.port();
    }

    /** Where a flow goes: protocol, VIP and port, backend address and port. */
    private record Path(int protocol, java.net.InetAddress vip, int port, BackendKey backend) {
        static Path of(Conntrack.Flow f) {
            return new Path(f.protocol(), f.original().dst(), f.original().dstPort(),
                    new BackendKey(f.reply().src(), f.reply().srcPort()));
        }

        static Path of(ServiceKey service, BackendKey backend) {
            return new Path(service.protocol(), service.address(), service.port(), backend);
        }
    }

    /**
     * {@code table} with each backend's established flows as its active connections and its other
     * flows (a handshake, a close, TIME_WAIT, UDP) as its inactive ones, as IPVS counts them (one
     * pass over the flows). The drain waits for the active ones; a connection threshold counts both.
     */
    static Map<ServiceKey, ActualService> counted(Map<ServiceKey, ActualService> table, List<Conntrack.Flow> flows) {
        Map<Path, Long> established = new java.util.HashMap<>();
        Map<Path, Long> other = new java.util.HashMap<>();
        flows.forEach(f -> (f.established() ? established : other).merge(Path.of(f), 1L, Long::sum));
        Map<ServiceKey, ActualService> out = new LinkedHashMap<>();
        table.forEach((key, svc) -> {
            Map<BackendKey, ActualBackend> dests = new LinkedHashMap<>();
            svc.dests().forEach((b, a) -> {
                long active = key.isFwmark() ? 0 : established.getOrDefault(Path.of(key, b), 0L);
                long inactive = key.isFwmark() ? 0 : other.getOrDefault(Path.of(key, b), 0L);
                dests.put(b, a.withConnections(active, inactive));
            });
            out.put(key, new ActualService(svc.spec(), dests, svc.stats()));
        });
        return out;
    }

    /** Whether a backend of {@code table} is at weight 0: draining, so its count decides when it goes. */
    static boolean draining(Map<ServiceKey, ActualService> table) {
        return table.values().stream().flatMap(s -> s.dests().values().stream()).anyMatch(b -> b.spec().weight() == 0);
    }

    /**
     * The backends that {@code changes} deleted (minus the refused ones): a deleted backend's, and
     * every backend of a deleted service as {@code before} had them.
     */
    static Map<ServiceKey, Set<BackendKey>> deleted(List<TableChange> changes, List<DataPlane.Failure> failures,
            Map<ServiceKey, DesiredService> before) {
        Set<TableChange> refused = new java.util.HashSet<>();
        failures.forEach(f -> refused.add(f.op()));
        Map<ServiceKey, Set<BackendKey>> gone = new LinkedHashMap<>();
        for (TableChange op : changes) {
            if (refused.contains(op)) {
                continue;
            }
            if (op instanceof TableChange.DelBackend d) {
                gone.computeIfAbsent(d.service(), k -> new LinkedHashSet<>()).add(d.dest());
            } else if (op instanceof TableChange.DelService d && before.containsKey(d.key())) {
                gone.computeIfAbsent(d.key(), k -> new LinkedHashSet<>()).addAll(before.get(d.key()).dests().keySet());
            }
        }
        return gone;
    }

    /**
     * Deletes the flows of each deleted backend and logs one line per backend that had any.
     *
     * @return flows deleted, by service and backend
     */
    static Map<ServiceKey, Map<BackendKey, Integer>> cut(Conntrack conntrack, Map<ServiceKey, Set<BackendKey>> gone) {
        Map<ServiceKey, Map<BackendKey, Integer>> cut = new LinkedHashMap<>();
        if (gone.isEmpty()) {
            return cut;
        }
        Set<java.net.InetAddress> vips = vips(gone.keySet());
        List<Conntrack.Flow> flows = conntrack.dump(f -> vips.contains(f.original().dst()));
        gone.forEach((service, backends) -> {
            for (BackendKey b : backends) {
                List<Conntrack.Flow> theirs = new ArrayList<>();
                flows.stream().filter(f -> of(f, service, b)).forEach(theirs::add);
                int n = deleteAll(conntrack, theirs);
                if (n > 0) {
                    log.info("nftables cut {} flows of real server {} of {}: it was deleted", n, b, service);
                }
                cut.computeIfAbsent(service, k -> new LinkedHashMap<>()).put(b, n);
            }
        });
        return cut;
    }

    private static int deleteAll(Conntrack conntrack, Collection<Conntrack.Flow> flows) {
        int n = 0;
        for (Conntrack.Flow f : flows) {
            if (conntrack.delete(f)) {
                n++;
            }
        }
        return n;
    }
}
