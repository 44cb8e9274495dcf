package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.ipvs.IpvsOp;
import io.vipkeeper.appliance.ipvs.IpvsStats;
import io.vipkeeper.appliance.ipvs.KernelDest;
import io.vipkeeper.appliance.ipvs.KernelService;
import io.vipkeeper.appliance.ipvs.ServiceKey;
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
    final Map<ServiceKey, KernelService> services = new LinkedHashMap<>();
    final List<IpvsOp> applied = new ArrayList<>();
    boolean closed;
    /** Operations to refuse with EINVAL, as the kernel refuses what it cannot do. */
    java.util.function.Predicate<IpvsOp> refuse = op -> false;
    /** Thrown by every dump while set, as when netlink stops answering; null: dumps work. */
    private RuntimeException dumpFailure;

    /** Makes every later dump throw {@code e} (null: dumps work again). */
    public synchronized void failDumps(RuntimeException e) {
        dumpFailure = e;
    }

    @Override
    public synchronized Map<ServiceKey, KernelService> table() {
        if (dumpFailure != null) {
            throw dumpFailure;
        }
        return new LinkedHashMap<>(services);
    }

    @Override
    public synchronized List<Failure> apply(List<IpvsOp> ops) {
        List<Failure> failures = new ArrayList<>();
        for (IpvsOp op : ops) {
            Errno e = applyOne(op);
            if (e == null) {
                applied.add(op);
            } else {
                failures.add(new Failure(op, new NetlinkException(IpvsOp.describe(op), e.number())));
            }
        }
        return failures;
    }

    private Errno applyOne(IpvsOp op) {
        if (refuse.test(op)) {
            return Errno.EINVAL;
        }
        if (op instanceof IpvsOp.NewService o) {
            if (services.containsKey(o.spec().key())) {
                return Errno.EEXIST;
            }
            services.put(o.spec().key(), new KernelService(o.spec(), Map.of(), IpvsStats.ZERO));
        } else if (op instanceof IpvsOp.SetService o) {
            KernelService s = services.get(o.spec().key());
            if (s == null) {
                return Errno.ESRCH;
            }
            services.put(o.spec().key(), new KernelService(o.spec(), s.dests(), s.stats()));
        } else if (op instanceof IpvsOp.DelService o) {
            return services.remove(o.key()) == null ? Errno.ESRCH : null;
        } else if (op instanceof IpvsOp.NewDest o) {
            return putDest(o.service(), new KernelDest(o.dest(), 0, 0, 0, IpvsStats.ZERO), true);
        } else if (op instanceof IpvsOp.SetDest o) {
            return putDest(o.service(), new KernelDest(o.dest(), 0, 0, 0, IpvsStats.ZERO), false);
        } else if (op instanceof IpvsOp.DelDest o) {
            KernelService s = services.get(o.service());
            if (s == null || !s.dests().containsKey(o.dest())) {
                return Errno.ESRCH;
            }
            Map<io.vipkeeper.appliance.ipvs.DestKey, KernelDest> d = new LinkedHashMap<>(s.dests());
            d.remove(o.dest());
            services.put(o.service(), new KernelService(s.spec(), d, s.stats()));
        }
        return null;
    }

    private Errno putDest(ServiceKey service, KernelDest dest, boolean create) {
        KernelService s = services.get(service);
        if (s == null) {
            return Errno.ESRCH;
        }
        boolean exists = s.dests().containsKey(dest.spec().key());
        if (create == exists) {
            return create ? Errno.EEXIST : Errno.ESRCH;
        }
        Map<io.vipkeeper.appliance.ipvs.DestKey, KernelDest> d = new LinkedHashMap<>(s.dests());
        d.put(dest.spec().key(), dest);
        services.put(service, new KernelService(s.spec(), d, s.stats()));
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

    @Override
    public synchronized void close() {
        closed = true;
    }
}
