package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.TrafficCounters;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.vrrp.linux.Errno;
import io.vipkeeper.vrrp.linux.netlink.NetlinkException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An IPVS table in memory with the kernel's answers (EEXIST, ESRCH, EINVAL for what a test
 * makes it refuse), for unit tests of the policy; the real kernel is tested in the VM.
 */
public final class InMemoryIpvs implements IpvsKernel {
    final Map<ServiceKey, ActualService> services = new LinkedHashMap<>();
    final List<TableChange> applied = new ArrayList<>();
    boolean closed;
    /** Operations to refuse with EINVAL, as the kernel refuses what it cannot do. */
    java.util.function.Predicate<TableChange> refuse = op -> false;
    /** Thrown by every dump while set, as when netlink stops answering; null: dumps work. */
    private RuntimeException dumpFailure;

    /** Makes every later dump throw {@code e} (null: dumps work again). */
    public synchronized void failDumps(RuntimeException e) {
        dumpFailure = e;
    }

    /** The table as {@link #table()} gives it, without counting a read. */
    public synchronized Map<ServiceKey, ActualService> snapshot() {
        return new LinkedHashMap<>(services);
    }

    /** What the engine says it can do; null: IPVS's. */
    io.vipkeeper.appliance.dataplane.Capabilities capabilities;

    @Override
    public io.vipkeeper.appliance.dataplane.Capabilities capabilities() {
        return capabilities != null ? capabilities : IpvsKernel.super.capabilities();
    }

    /** Calls of {@link #table()}: whole reads. */
    public int tableReads;

    @Override
    public synchronized Map<ServiceKey, ActualService> table() {
        tableReads++;
        if (dumpFailure != null) {
            throw dumpFailure;
        }
        return new LinkedHashMap<>(services);
    }

    @Override
    public synchronized List<Failure> apply(List<TableChange> ops) {
        List<Failure> failures = new ArrayList<>();
        for (TableChange op : ops) {
            Errno e = applyOne(op);
            if (e == null) {
                applied.add(op);
            } else {
                failures.add(new Failure(op, new NetlinkException(TableChange.describe(op), e.number())));
            }
        }
        return failures;
    }

    private Errno applyOne(TableChange op) {
        if (refuse.test(op)) {
            return Errno.EINVAL;
        }
        if (op instanceof TableChange.NewService o) {
            if (services.containsKey(o.spec().key())) {
                return Errno.EEXIST;
            }
            services.put(o.spec().key(), new ActualService(o.spec(), Map.of(), TrafficCounters.ZERO));
        } else if (op instanceof TableChange.SetService o) {
            ActualService s = services.get(o.spec().key());
            if (s == null) {
                return Errno.ESRCH;
            }
            services.put(o.spec().key(), new ActualService(o.spec(), s.dests(), s.stats()));
        } else if (op instanceof TableChange.DelService o) {
            return services.remove(o.key()) == null ? Errno.ESRCH : null;
        } else if (op instanceof TableChange.NewBackend o) {
            return putDest(o.service(), new ActualBackend(o.dest(), 0, 0, 0, TrafficCounters.ZERO), true);
        } else if (op instanceof TableChange.SetBackend o) {
            return putDest(o.service(), new ActualBackend(o.dest(), 0, 0, 0, TrafficCounters.ZERO), false);
        } else if (op instanceof TableChange.DelBackend o) {
            ActualService s = services.get(o.service());
            if (s == null || !s.dests().containsKey(o.dest())) {
                return Errno.ESRCH;
            }
            Map<io.vipkeeper.appliance.dataplane.BackendKey, ActualBackend> d = new LinkedHashMap<>(s.dests());
            d.remove(o.dest());
            services.put(o.service(), new ActualService(s.spec(), d, s.stats()));
        }
        return null;
    }

    /** Sets a service's connection counter (it only grows while the service lives), as traffic would. */
    public synchronized void serviceConnections(ServiceKey service, long connections) {
        ActualService s = services.get(service);
        TrafficCounters t = s.stats();
        services.put(service, new ActualService(s.spec(), s.dests(),
                new TrafficCounters(connections, t.inPackets(), t.outPackets(), t.inBytes(), t.outBytes())));
    }

    /** Sets a destination's connection counts, as traffic would. */
    public synchronized void connections(ServiceKey service, io.vipkeeper.appliance.dataplane.BackendKey dest, long active,
            long inactive) {
        ActualService s = services.get(service);
        ActualBackend b = s.dests().get(dest);
        Map<io.vipkeeper.appliance.dataplane.BackendKey, ActualBackend> d = new LinkedHashMap<>(s.dests());
        d.put(dest, new ActualBackend(b.spec(), active, inactive, b.persistentConnections(), b.stats()));
        services.put(service, new ActualService(s.spec(), d, s.stats()));
    }

    private Errno putDest(ServiceKey service, ActualBackend dest, boolean create) {
        ActualService s = services.get(service);
        if (s == null) {
            return Errno.ESRCH;
        }
        boolean exists = s.dests().containsKey(dest.spec().key());
        if (create == exists) {
            return create ? Errno.EEXIST : Errno.ESRCH;
        }
        Map<io.vipkeeper.appliance.dataplane.BackendKey, ActualBackend> d = new LinkedHashMap<>(s.dests());
        d.put(dest.spec().key(), dest);
        services.put(service, new ActualService(s.spec(), d, s.stats()));
        return null;
    }

    final List<io.vipkeeper.appliance.ipvs.SyncDaemonState> daemons = new ArrayList<>();

    @Override
    public synchronized List<io.vipkeeper.appliance.ipvs.SyncDaemonState> syncDaemons() {
        return List.copyOf(daemons);
    }

    @Override
    public synchronized void startSyncDaemon(io.vipkeeper.appliance.ipvs.SyncDaemonState d) {
        if (daemons.stream().anyMatch(r -> r.state() == d.state())) {
            throw new NetlinkException("NEW_DAEMON", Errno.EEXIST.number());
        }
        daemons.add(d);
    }

    @Override
    public synchronized void stopSyncDaemon(int state) {
        if (!daemons.removeIf(r -> r.state() == state)) {
            throw new NetlinkException("DEL_DAEMON", Errno.ESRCH.number());
        }
    }

    /** The kernel's defaults (tcp 900, tcpfin 120, udp 300). */
    io.vipkeeper.appliance.ipvs.IpvsTimeouts timeouts = new io.vipkeeper.appliance.ipvs.IpvsTimeouts(900, 120, 300);
    int timeoutSets;
    /** Refuses SET_CONFIG with EINVAL, as a kernel refusing a value would. */
    boolean refuseTimeouts;

    @Override
    public synchronized io.vipkeeper.appliance.ipvs.IpvsTimeouts timeouts() {
        return timeouts;
    }

    /** As the kernel: a 0 keeps that timeout. */
    @Override
    public synchronized void setTimeouts(io.vipkeeper.appliance.ipvs.IpvsTimeouts t) {
        if (refuseTimeouts) {
            throw new NetlinkException("SET_CONFIG", Errno.EINVAL.number());
        }
        timeoutSets++;
        timeouts = new io.vipkeeper.appliance.ipvs.IpvsTimeouts(t.tcpSeconds() == 0 ? timeouts.tcpSeconds() : t.tcpSeconds(),
                t.tcpFinSeconds() == 0 ? timeouts.tcpFinSeconds() : t.tcpFinSeconds(),
                t.udpSeconds() == 0 ? timeouts.udpSeconds() : t.udpSeconds());
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
