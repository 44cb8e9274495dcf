package io.vipkeeper.appliance.ipvs.genl;

import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.ipvs.IpvsTimeouts;
import io.vipkeeper.appliance.ipvs.SyncDaemonState;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The daemon's IPVS: {@link IpvsClient} with reads of a large table that cost what an idle table
 * needs. IPVS has no change events and no generation, so a whole read (one destination dump per
 * service: 101 dumps and 10,100 messages at 100 x 100) was every run's price, and in the TCG VM it
 * cost more than programming the table. Here, once the last whole read held at least {@link
 * #cachedFrom} real servers, a run reads the services alone (one dump) and hands back the last
 * read, the very same map, so the reconciler skips its plan, when the services are as they were,
 * for at most {@link #CACHED_READS} runs in a row; the services with a real server at weight 0 (a
 * drain, quiesced or inhibited) have their destinations read again every run, since a drain ends
 * on their counts. A whole read comes after any change of our own, when the services differ (a service
 * added, deleted or edited by hand, a flush), when the reconciler asks for one (a run for a
 * reload, a health change or an order plans against the exact table) and every {@link
 * #CACHED_READS} + 1 runs. Drift bound: a service's drift is seen by the next run, a real server's
 * (a hand-edited weight, a deleted or foreign destination) within {@link #CACHED_READS} + 1 runs;
 * counters in status and /metrics are as old. Smaller tables are read whole every run, as before.
 * Used from one thread.
 */
public final class IpvsReads implements IpvsKernel {
    /** Runs in a row that may reuse the last whole read (the nftables engine's number). */
    public static final int CACHED_READS = 9;
    /** Real servers from which reads are cached; a system property sets it for tests and benchmarks. */
    static final String CACHED_FROM_PROPERTY = "vipkeeper.ipvs.cached-reads-from";
    private static final int CACHED_FROM_DEFAULT = 1000;

    private final IpvsKernel kernel;
    private final Supplier<List<ActualService>> services;
    private final Function<ServiceKey, Map<BackendKey, ActualBackend>> dests;
    private final int cachedFrom;
    private Map<ServiceKey, ActualService> last;
    private int cachedRuns;
    private boolean wholeNext = true;

    /** The daemon's: the threshold from {@value #CACHED_FROM_PROPERTY}, else 1000 real servers. */
    public IpvsReads(IpvsClient client) {
        this(client, client::services, client::dests, Integer.getInteger(CACHED_FROM_PROPERTY, CACHED_FROM_DEFAULT));
    }

    /** {@code kernel} for whole reads and the rest, {@code services} and {@code dests} for the partial ones. */
    IpvsReads(IpvsKernel kernel, Supplier<List<ActualService>> services,
            Function<ServiceKey, Map<BackendKey, ActualBackend>> dests, int cachedFrom) {
        this.kernel = kernel;
        this.services = services;
        this.dests = dests;
        this.cachedFrom = cachedFrom;
    }

    /** Opens the kernel's IPVS as {@link IpvsClient#open()} does. */
    public static IpvsKernel open() {
        return new IpvsReads(IpvsClient.open());
    }

    @Override
    public Map<ServiceKey, ActualService> table() {
        if (wholeNext || last == null || cachedRuns >= CACHED_READS || destinations(last) < cachedFrom
                || !sameServices(services.get(), last)) {
            return readWhole();
        }
        cachedRuns++;
        Map<ServiceKey, ActualService> draining = null;
        for (ActualService s : last.values()) {
            if (draining(s)) {
                if (draining == null) {
                    draining = new LinkedHashMap<>(last);
                }
                draining.put(s.spec().key(), new ActualService(s.spec(), dests.apply(s.spec().key()), s.stats()));
            }
        }
        if (draining != null) {
            last = draining;
        }
        return last;
    }

    private Map<ServiceKey, ActualService> readWhole() {
        wholeNext = false;
        cachedRuns = 0;
        last = null;
        last = kernel.table();
        return last;
    }

    /**
     * Whether the services read now are those of {@code table}: in its order, with its settings,
     * and each the same service, not one deleted and added again with the same settings since
     * (which starts with no real servers): its connection counter, which only grows while the
     * service lives, is not below the last read's.
     */
    static boolean sameServices(List<ActualService> now, Map<ServiceKey, ActualService> table) {
        if (now.size() != table.size()) {
            return false;
        }
        Iterator<ActualService> was = table.values().iterator();
        for (ActualService s : now) {
            ActualService then = was.next();
            if (!s.spec().equals(then.spec()) || s.stats().connections() < then.stats().connections()) {
                return false;
            }
        }
        return true;
    }

    /**
     * A service with a real server at weight 0: a drain ends on its counts, which a cached read
     * would not move (and a persistence template can send a returning client to it after a read
     * that found none), so its real servers are read every run.
     */
    static boolean draining(ActualService s) {
        for (ActualBackend b : s.dests().values()) {
            if (b.spec().weight() == 0) {
                return true;
            }
        }
        return false;
    }

    private static long destinations(Map<ServiceKey, ActualService> table) {
        long n = 0;
        for (ActualService s : table.values()) {
            n += s.dests().size();
        }
        return n;
    }

    @Override
    public void readWholeNext() {
        wholeNext = true;
    }

    @Override
    public List<Failure> apply(List<TableChange> changes) {
        if (!changes.isEmpty()) {
            wholeNext = true;
        }
        return kernel.apply(changes);
    }

    @Override
    public List<SyncDaemonState> syncDaemons() {
        return kernel.syncDaemons();
    }

    @Override
    public void startSyncDaemon(SyncDaemonState d) {
        kernel.startSyncDaemon(d);
    }

    @Override
    public void stopSyncDaemon(int state) {
        kernel.stopSyncDaemon(state);
    }

    @Override
    public IpvsTimeouts timeouts() {
        return kernel.timeouts();
    }

    @Override
    public void setTimeouts(IpvsTimeouts t) {
        kernel.setTimeouts(t);
    }

    @Override
    public void close() {
        kernel.close();
    }
}
