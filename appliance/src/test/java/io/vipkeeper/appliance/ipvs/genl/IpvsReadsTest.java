package io.vipkeeper.appliance.ipvs.genl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.pool.InMemoryIpvs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IpvsReads over an in-memory kernel: which runs read the table whole, which reuse the last read,
 * and that hand edits are seen within the bound it promises. The kernel's own table is read by the
 * VM tests (IpvsDaemonVmTest runs its daemon with cached reads from the first real server).
 */
class IpvsReadsTest {
    private static final int SERVICES = 3;
    private static final int BACKENDS = 4;
    private final InMemoryIpvs kernel = new InMemoryIpvs();
    private int serviceReads;
    private final List<ServiceKey> destReads = new ArrayList<>();
    private IpvsReads reads;

    @BeforeEach
    void table() {
        List<TableChange> program = new ArrayList<>();
        for (int s = 0; s < SERVICES; s++) {
            program.add(new TableChange.NewService(spec(s, "wrr"), "test"));
            for (int b = 0; b < BACKENDS; b++) {
                program.add(new TableChange.NewBackend(key(s), backend(b, 1), "test"));
            }
        }
        assertEquals(List.of(), kernel.apply(program));
        reads = withCacheFrom(1);
    }

    private IpvsReads withCacheFrom(int from) {
        // The partial reads look at the kernel's services directly, so that tableReads counts whole reads only.
        return new IpvsReads(kernel, () -> {
            serviceReads++;
            return new ArrayList<>(kernel.snapshot().values());
        }, k -> {
            destReads.add(k);
            return kernel.snapshot().get(k).dests();
        }, from);
    }

    @Test
    void anIdleTableIsReadWholeOnceInTenRunsAndTheOtherRunsHandBackTheSameMap() {
        Map<ServiceKey, ActualService> first = reads.table();
        for (int run = 1; run <= IpvsReads.CACHED_READS; run++) {
            assertSame(first, reads.table(), "run " + run);
        }
        assertEquals(1, kernel.tableReads);
        assertEquals(IpvsReads.CACHED_READS, serviceReads);
        assertNotSame(first, reads.table());
        assertEquals(2, kernel.tableReads);
        assertEquals(List.of(), destReads);
    }

    @Test
    void aServiceDeletedOrEditedByHandIsSeenByTheNextRun() {
        reads.table();
        reads.table();
        kernel.apply(List.of(new TableChange.DelService(key(1), "by hand")));
        assertEquals(SERVICES - 1, reads.table().size());
        assertEquals(2, kernel.tableReads);
        reads.table();
        kernel.apply(List.of(new TableChange.SetService(spec(0, "rr"), "by hand")));
        assertEquals("rr", reads.table().get(key(0)).spec().scheduler());
        assertEquals(3, kernel.tableReads);
    }

    @Test
    void aRealServerEditedByHandIsSeenWithinTenRuns() {
        reads.table();
        kernel.apply(List.of(new TableChange.SetBackend(key(2), backend(1, 7), "by hand")));
        int runs = 1;
        while (reads.table().get(key(2)).dests().get(backendKey(1)).spec().weight() != 7) {
            runs++;
        }
        assertEquals(IpvsReads.CACHED_READS + 1, runs, "runs until the edit was read");
    }

    @Test
    void ourOwnChangesAndTheReconcilersRequestMakeTheNextReadWhole() {
        Map<ServiceKey, ActualService> first = reads.table();
        reads.apply(List.of(new TableChange.SetBackend(key(0), backend(0, 3), "ours")));
        assertEquals(3, reads.table().get(key(0)).dests().get(backendKey(0)).spec().weight());
        assertEquals(2, kernel.tableReads);
        reads.apply(List.of());
        reads.table();
        assertEquals(2, kernel.tableReads, "applying nothing changes nothing");
        reads.readWholeNext();
        assertNotSame(first, reads.table());
        assertEquals(3, kernel.tableReads);
    }

    @Test
    void aDrainingServiceHasItsRealServersReadEveryRun() {
        reads.apply(List.of(new TableChange.SetBackend(key(1), backend(3, 0), "drain")));
        kernel.connections(key(1), backendKey(3), 2, 1);
        reads.table();
        kernel.connections(key(1), backendKey(3), 0, 0);
        Map<ServiceKey, ActualService> next = reads.table();
        assertEquals(0, next.get(key(1)).dests().get(backendKey(3)).activeConnections());
        assertEquals(List.of(key(1)), destReads);
        assertEquals(1, kernel.tableReads);
        // At weight 0 it is still read every run: a persistence template can send a client back
        // after a read that found none (adversarial review), and the drain must see it.
        kernel.connections(key(1), backendKey(3), 1, 0);
        assertEquals(1, reads.table().get(key(1)).dests().get(backendKey(3)).activeConnections());
        assertEquals(List.of(key(1), key(1)), destReads);
        assertEquals(1, kernel.tableReads);
    }

    @Test
    void aServiceDeletedAndAddedAgainByHandWithTheSameSettingsIsSeenByTheNextRun() {
        kernel.serviceConnections(key(2), 40);
        reads.table();
        reads.table();
        kernel.apply(List.of(new TableChange.DelService(key(2), "by hand"), new TableChange.NewService(spec(2, "wrr"), "by hand")));
        // Same key, order and settings, but its counter starts again and its real servers are gone.
        assertEquals(0, reads.table().get(key(2)).dests().size());
        assertEquals(2, kernel.tableReads);
    }

    @Test
    void aTableBelowTheThresholdIsReadWholeEveryRun() {
        reads = withCacheFrom(SERVICES * BACKENDS + 1);
        for (int run = 0; run < 5; run++) {
            reads.table();
        }
        assertEquals(5, kernel.tableReads);
        assertEquals(0, serviceReads);
    }

    private static ServiceKey key(int s) {
        return ServiceKey.of(TransportProtocol.TCP, NetUtil.createInetAddressFromIpAddressString("198.18.0.100"), 1000 + s);
    }

    private static ServiceSpec spec(int s, String scheduler) {
        return new ServiceSpec(key(s), scheduler, 0, 0, 0xffffffffL);
    }

    private static BackendKey backendKey(int b) {
        return new BackendKey(NetUtil.createInetAddressFromIpAddressString("198.18.1." + (b + 1)), 80);
    }

    private static BackendSpec backend(int b, int weight) {
        return new BackendSpec(backendKey(b), Forwarding.NAT, weight, 0, 0);
    }
}
