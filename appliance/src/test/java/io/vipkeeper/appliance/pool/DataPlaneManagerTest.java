package io.vipkeeper.appliance.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.dataplane.PortList;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.ipvs.IpvsTimeouts;
import io.vipkeeper.appliance.ipvs.SyncDaemonState;
import io.vipkeeper.appliance.ipvs.genl.Ipvs;
import io.vipkeeper.vrrp.linux.netlink.NetlinkException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manager's lifecycle on an in-memory table: start, drift, reload, restart, kernel trouble. */
class DataPlaneManagerTest {
    private static final ServiceKey WEB = ServiceKey.of(TransportProtocol.TCP, TableReconcilerTest.ip("198.18.0.100"), 80);
    private static final ServiceKey DNS = ServiceKey.of(TransportProtocol.UDP, TableReconcilerTest.ip("198.18.0.100"), 53);
    private static final String WEB_CONF = "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80,"
            + " scheduler = rr, real-servers = [{ address = \"198.18.1.1\" }, { address = \"198.18.1.2\", weight = 3 }] }\n";
    private static final String DNS_CONF = "vipkeeper.ipvs.virtual-servers.dns { address = \"198.18.0.100\", port = 53,"
            + " protocol = udp, real-servers = [{ address = \"198.18.1.1\" }] }\n";

    @TempDir
    Path dir;
    private final InMemoryIpvs kernel = new InMemoryIpvs();

    private IpvsSettings settings(String text) throws Exception {
        Path f = dir.resolve("vipkeeper.conf");
        Files.writeString(f, text);
        return ConfigLoader.load(f).ipvs();
    }

    private DataPlaneManager manager(Supplier<IpvsKernel> opener) {
        return new DataPlaneManager(opener, NatSetup.NONE);
    }

    @Test
    void startProgramsTheWholeConfig() throws Exception {
        try (DataPlaneManager m = manager(() -> kernel)) {
            m.start(settings(WEB_CONF + DNS_CONF));
            assertEquals(List.of(WEB, DNS), List.copyOf(kernel.services.keySet()));
            assertEquals(2, kernel.services.get(WEB).dests().size());
            assertEquals(5, m.status().changes());
            assertEquals(0, m.status().repairs());
        }
    }

    @Test
    void driftIsRepairedAndForeignServicesAreLeftAlone() throws Exception {
        try (DataPlaneManager m = manager(() -> kernel)) {
            m.start(settings(WEB_CONF));
            ServiceSpec foreign = new ServiceSpec(ServiceKey.of(TransportProtocol.TCP, TableReconcilerTest.ip("198.18.0.200"),
                    22), "rr", 0, 0, 0xffffffffL);
            var rs2 = kernel.services.get(WEB).dests().values().stream().skip(1).findFirst().orElseThrow().spec();
            kernel.apply(List.of(new TableChange.NewService(foreign, "by hand"),
                    new TableChange.SetBackend(WEB, rs2.withWeight(9), "by hand")));
            m.reconcileNow();
            assertEquals(3, kernel.services.get(WEB).dests().get(rs2.key()).spec().weight());
            assertTrue(kernel.services.containsKey(foreign.key()), "a service vipkeeper does not own stays");
            assertEquals(1, m.status().repairs());
            kernel.apply(List.of(new TableChange.DelService(WEB, "by hand")));
            m.reconcileNow();
            assertEquals(2, kernel.services.get(WEB).dests().size());
            assertEquals(4, m.status().repairs());
        }
    }

    /** The review of issue 16: a drain ending in a periodic run was logged and counted as a drift repair. */
    @Test
    void aDrainEndingInAPeriodicRunIsNoRepair() throws Exception {
        String drainFast = "vipkeeper.ipvs.drain-timeout = 100ms\n";
        try (DataPlaneManager m = manager(() -> kernel)) {
            m.start(settings(drainFast + WEB_CONF));
            m.apply(settings(drainFast + WEB_CONF.replace(", { address = \"198.18.1.2\", weight = 3 }", "")));
            assertEquals(2, kernel.services.get(WEB).dests().size(), "draining at weight 0 first");
            Thread.sleep(200);
            m.reconcileNow();
            assertEquals(1, kernel.services.get(WEB).dests().size());
            assertEquals(0, m.status().repairs());
        }
    }

    @Test
    void reloadDeletesDroppedServicesAndAddsNewOnes() throws Exception {
        try (DataPlaneManager m = manager(() -> kernel)) {
            m.start(settings(WEB_CONF + DNS_CONF));
            m.apply(settings(DNS_CONF));
            assertEquals(List.of(DNS), List.copyOf(kernel.services.keySet()));
            m.apply(settings(DNS_CONF + WEB_CONF));
            assertTrue(kernel.services.containsKey(WEB));
            assertEquals(0, m.status().repairs());
        }
    }

    /**
     * Issue 15: ownership lived only in memory, so a service removed from the config while the
     * daemon was stopped stayed in the kernel for good. The next run now knows it from the state
     * file and deletes it; a service someone else made is still left alone.
     */
    @Test
    void aServiceRemovedWhileStoppedIsDeletedAtTheNextStartAndForeignOnesStay() throws Exception {
        OwnedServices owned = OwnedServices.in(dir.resolve("state/ipvs-owned"));
        try (DataPlaneManager m = new DataPlaneManager(() -> kernel, NatSetup.NONE, Map::of, owned)) {
            m.start(settings(WEB_CONF + DNS_CONF));
        }
        assertEquals(List.of("tcp 198.18.0.100 80", "udp 198.18.0.100 53"),
                Files.readAllLines(dir.resolve("state/ipvs-owned")).stream().sorted().toList());
        ServiceSpec foreign = new ServiceSpec(ServiceKey.of(TransportProtocol.TCP, TableReconcilerTest.ip("198.18.0.200"),
                22), "rr", 0, 0, 0xffffffffL);
        kernel.apply(List.of(new TableChange.NewService(foreign, "by hand")));
        try (DataPlaneManager m = new DataPlaneManager(() -> kernel, NatSetup.NONE, Map::of,
                OwnedServices.in(dir.resolve("state/ipvs-owned")))) {
            m.start(settings(WEB_CONF));
            assertEquals(List.of(WEB, foreign.key()), List.copyOf(kernel.services.keySet()));
            m.reconcileNow();
        }
        assertEquals(List.of("tcp 198.18.0.100 80"), Files.readAllLines(dir.resolve("state/ipvs-owned")));
        try (DataPlaneManager m = manager(() -> kernel)) {
            m.start(settings(WEB_CONF));
            assertTrue(kernel.services.containsKey(foreign.key()), "without a state file nothing more is deleted");
        }
    }

    @Test
    void ownedServicesRoundTripAndAnUnreadableLineIsSkipped() throws Exception {
        for (ServiceKey k : List.of(WEB, DNS, ServiceKey.ofFwmark(7, false), ServiceKey.ofFwmark(9, true),
                ServiceKey.of(TransportProtocol.SCTP, TableReconcilerTest.ip("2001:db8::1"), 5060),
                ServiceKey.ofPorts(TransportProtocol.TCP, TableReconcilerTest.ip("198.18.0.100"), PortList.parse("80")),
                ServiceKey.ofPorts(TransportProtocol.UDP, TableReconcilerTest.ip("2001:db8::1"), PortList.parse("53,8000-8100")))) {
            assertEquals(k, OwnedServices.parse(OwnedServices.format(k)));
        }
        Path f = dir.resolve("ipvs-owned");
        Files.writeString(f, "tcp 198.18.0.100 80\ngarbage\ntcp not-an-ip 80\n\n");
        assertEquals(java.util.Set.of(WEB), OwnedServices.in(f).load());
    }

    @Test
    void aRestartAdoptsACorrectTableWithoutAnyChange() throws Exception {
        try (DataPlaneManager first = manager(() -> kernel)) {
            first.start(settings(WEB_CONF + DNS_CONF));
        }
        int before = kernel.applied.size();
        try (DataPlaneManager second = manager(() -> kernel)) {
            second.start(settings(WEB_CONF + DNS_CONF));
            assertEquals(0, second.status().changes());
        }
        assertEquals(before, kernel.applied.size());
    }

    @Test
    void aKernelWithoutIpvsIsRetriedNotFatal() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        try (DataPlaneManager m = manager(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new NetlinkException("generic netlink family IPVS not available", 2);
            }
            return kernel;
        })) {
            m.start(settings(WEB_CONF));
            assertTrue(kernel.services.isEmpty());
            m.reconcileNow();
            assertTrue(kernel.services.isEmpty());
            m.reconcileNow();
            assertEquals(List.of(WEB), List.copyOf(kernel.services.keySet()));
            assertEquals(2, m.status().failures());
        }
    }

    @Test
    void lastErrorSaysWhyTheKernelCannotBeProgrammedUntilARunSucceeds() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        try (DataPlaneManager m = manager(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new NetlinkException("generic netlink family IPVS not available", 2);
            }
            return kernel;
        })) {
            m.start(settings(WEB_CONF));
            assertEquals(Optional.of("cannot open the kernel's IPVS interface: generic netlink family IPVS not available: "
                    + "ENOENT"), m.status().lastError());
            assertEquals(1, m.status().failures(), "a run that cannot open the kernel is a failed run");
            m.reconcileNow();
            assertEquals(Optional.empty(), m.status().lastError(), "cleared by a run that programmed the kernel");
            assertEquals(List.of(WEB), List.copyOf(kernel.services.keySet()));

            kernel.failDumps(new NetlinkException("IPVS_CMD_GET_SERVICE", 5));
            m.reconcileNow();
            assertEquals(Optional.of("reconcile failed: IPVS_CMD_GET_SERVICE: EIO"), m.status().lastError());
            kernel.failDumps(null);
            m.reconcileNow();
            assertEquals(Optional.empty(), m.status().lastError());
        }
    }

    @Test
    void aRefusedChangeIsNotALastError() throws Exception {
        kernel.refuse = op -> op instanceof TableChange.NewBackend;
        try (DataPlaneManager m = manager(() -> kernel)) {
            m.start(settings(WEB_CONF));
            assertEquals(2, m.status().failures());
            assertEquals(Optional.empty(), m.status().lastError(), "the kernel answered; failures() counts the refusals");
        }
    }

    @Test
    void aRefusedChangeIsCountedRetriedAndTheRestApplied() throws Exception {
        kernel.refuse = op -> op instanceof TableChange.NewBackend d && d.dest().weight() == 3;
        try (DataPlaneManager m = manager(() -> kernel)) {
            m.start(settings(WEB_CONF + DNS_CONF));
            assertEquals(1, kernel.services.get(WEB).dests().size());
            assertEquals(1, kernel.services.get(DNS).dests().size());
            assertEquals(1, m.status().failures());
            m.reconcileNow();
            assertEquals(2, m.status().failures());
            kernel.refuse = op -> false;
            m.reconcileNow();
            assertEquals(2, kernel.services.get(WEB).dests().size());
            assertEquals(1, m.status().repairs());
        }
    }

    @Test
    void theSyncDaemonFollowsItsVrrpInstance() throws Exception {
        String vrrp = "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 51,"
                + " virtual-ips = [\"198.18.0.100/24\"] }\n"
                + "vipkeeper.ipvs.sync-daemon { instance = web, sync-id = 7 }\n";
        try (DataPlaneManager m = manager(() -> kernel)) {
            m.start(settings(vrrp + WEB_CONF));
            assertEquals(List.of(new SyncDaemonState(Ipvs.STATE_BACKUP, "eth0", 7)), kernel.syncDaemons());
            m.vrrpState("other", true);
            m.vrrpState("web", true);
            m.reconcileNow();
            assertEquals(List.of(new SyncDaemonState(Ipvs.STATE_MASTER, "eth0", 7)), kernel.syncDaemons());
            m.vrrpState("web", false);
            m.reconcileNow();
            assertEquals(List.of(new SyncDaemonState(Ipvs.STATE_BACKUP, "eth0", 7)), kernel.syncDaemons());
            m.apply(settings(WEB_CONF));
            assertEquals(List.of(), kernel.syncDaemons(), "a removed sync-daemon section stops it");
        }
    }

    @Test
    void timeoutsAreSetAtStartRepairedAndChangedByAReload() throws Exception {
        try (DataPlaneManager m = manager(() -> kernel)) {
            m.start(settings(WEB_CONF + "vipkeeper.ipvs.timeouts { tcp = 2h, udp = 60s }\n"));
            assertEquals(new IpvsTimeouts(7200, 120, 60), kernel.timeouts(), "tcp-fin, not set, keeps the kernel's");
            int sets = kernel.timeoutSets;
            m.reconcileNow();
            assertEquals(sets, kernel.timeoutSets, "values in place are not set again");
            kernel.setTimeouts(new IpvsTimeouts(900, 0, 0));
            m.reconcileNow();
            assertEquals(new IpvsTimeouts(7200, 120, 60), kernel.timeouts(), "a hand edit is put back");
            m.apply(settings(WEB_CONF + "vipkeeper.ipvs.timeouts { tcp-fin = 30s, udp = 90s }\n"));
            assertEquals(new IpvsTimeouts(7200, 30, 90), kernel.timeouts(), "one the reload drops stays as it is");
        }
    }

    @Test
    void aRefusedTimeoutIsCountedAndTheTableIsStillProgrammed() throws Exception {
        InMemoryIpvs refusing = new InMemoryIpvs();
        refusing.refuseTimeouts = true;
        try (DataPlaneManager m = manager(() -> refusing)) {
            m.start(settings(WEB_CONF + "vipkeeper.ipvs.timeouts.tcp = 2h\n"));
            assertEquals(List.of(WEB), List.copyOf(refusing.services.keySet()));
            // Counted on every run it fails in: the start's, and the follow-up run queued after it
            // may have run too by now.
            assertTrue(m.status().failures() >= 1, "failures " + m.status().failures());
        }
    }

    @Test
    void theSyncDaemonStartsWithItsOptionsAndAgainWhenAReloadChangesThem() throws Exception {
        String vrrp = "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 51,"
                + " virtual-ips = [\"198.18.0.100/24\"] }\n";
        try (DataPlaneManager m = manager(() -> kernel)) {
            m.start(settings(vrrp + WEB_CONF + "vipkeeper.ipvs.sync-daemon { instance = web, max-length = 1400,"
                    + " group = \"239.0.0.81\", port = 8849, ttl = 2 }\n"));
            assertEquals(List.of(new SyncDaemonState(Ipvs.STATE_BACKUP, "eth0", 51, 1400,
                    Optional.of(java.net.InetAddress.getByName("239.0.0.81")), 8849, 2)), kernel.syncDaemons());
            m.apply(settings(vrrp + WEB_CONF + "vipkeeper.ipvs.sync-daemon { instance = web }\n"));
            assertEquals(List.of(new SyncDaemonState(Ipvs.STATE_BACKUP, "eth0", 51)), kernel.syncDaemons(),
                    "options the reload drops go back to the kernel's defaults");
        }
    }

    @Test
    void aDaemonAsTheKernelReportsItMatchesTheOptionsItWasStartedWith() throws Exception {
        SyncDaemonState backup = new SyncDaemonState(Ipvs.STATE_BACKUP, "eth0", 51, 1000, Optional.empty(), 0, 0);
        var group = Optional.of(java.net.InetAddress.getByName("224.0.0.81"));
        assertTrue(backup.isRunAs(new SyncDaemonState(Ipvs.STATE_BACKUP, "eth0", 51, 1024, group, 8848, 1)),
                "a backup's max length is at least 1024, and the defaults are the kernel's");
        assertTrue(!backup.isRunAs(new SyncDaemonState(Ipvs.STATE_BACKUP, "eth0", 51, 1024, group, 8849, 1)));
        assertTrue(!backup.inState(Ipvs.STATE_MASTER).isRunAs(new SyncDaemonState(Ipvs.STATE_MASTER, "eth0", 51, 1024,
                group, 8848, 1)), "a master keeps the max length it was given");
        assertTrue(new SyncDaemonState(Ipvs.STATE_MASTER, "eth0", 51).isRunAs(new SyncDaemonState(Ipvs.STATE_MASTER,
                "eth0", 51, 1472, group, 8848, 1)), "a max length left to the kernel matches any");
    }
}
