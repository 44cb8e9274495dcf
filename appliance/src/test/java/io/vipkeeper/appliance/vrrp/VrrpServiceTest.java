package io.vipkeeper.appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.VrrpSettings;
import io.vipkeeper.appliance.script.ProcessRunner;
import io.vipkeeper.vrrp.fsm.RouterState;
import io.vipkeeper.vrrp.fsm.VirtualClock;
import io.vipkeeper.vrrp.transport.InMemoryNetwork;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two hosts running the VRRP service from real config files on an in-memory segment. */
class VrrpServiceTest {
    private static final InetAddress VIP = NetUtil.createInetAddressFromIpAddressString("198.18.0.100");
    private static final InetAddress VIP2 = NetUtil.createInetAddressFromIpAddressString("198.18.0.101");
    private static final InetAddress VIP3 = NetUtil.createInetAddressFromIpAddressString("198.18.0.102");

    @TempDir
    Path dir;
    private final VirtualClock clock = new VirtualClock();
    private final InMemoryNetwork net = new InMemoryNetwork(clock, 100_000);
    private final Map<InetAddress, Set<String>> holders = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ProcessRunner runner = new ProcessRunner(Executors.newCachedThreadPool());

    @AfterEach
    void shutdown() {
        timer.shutdownNow();
    }

    private VrrpSettings config(String name, int priority, String extra, boolean syncGroup) throws Exception {
        return vrrp(name, """
                  instances {
                    vi_1 { interface = eth0, virtual-router-id = 51, priority = %d,
                           advert-interval = 100ms, virtual-ips = ["198.18.0.100"] %s }
                    vi_2 { interface = eth0, virtual-router-id = 52, priority = %d,
                           advert-interval = 100ms, virtual-ips = ["198.18.0.101"] }
                  }
                  %s
                """.formatted(priority, extra, priority, syncGroup ? "sync-groups { g = [vi_1, vi_2] }" : ""));
    }

    /** The vrrp section of a config file whose {@code vipkeeper.vrrp} block is {@code body}. */
    private VrrpSettings vrrp(String name, String body) throws Exception {
        Path f = dir.resolve(name + "-" + System.nanoTime() + ".conf");
        Files.writeString(f, "vipkeeper.vrrp {\n" + body + "\n}\n");
        return ConfigLoader.load(f).vrrp();
    }

    private record Host(InMemoryPlatform platform, VrrpService service) {
    }

    private Host host(String name, String address, int priority, String extra) throws Exception {
        return host(name, address, priority, extra, true);
    }

    private Host host(String name, String address, int priority, String extra, boolean syncGroup) throws Exception {
        return host(name, address, config(name, priority, extra, syncGroup), p -> { });
    }

    /** A host running {@code settings} on a platform that {@code before} changed first. */
    private Host host(String name, String address, VrrpSettings settings,
            java.util.function.Consumer<InMemoryPlatform> before) {
        InMemoryPlatform p = new InMemoryPlatform(name, net, address, holders);
        before.accept(p);
        VrrpService s = new VrrpService(p, clock, runner, timer);
        s.start(settings);
        return new Host(p, s);
    }

    private Set<String> holdersOf(InetAddress vip) {
        return Set.copyOf(holders.getOrDefault(vip, Set.of()));
    }

    @Test
    void pairElectsFailsOverOnLinkDownAndTakesBack() throws Exception {
        Host lb1 = host("lb1", "198.18.0.1", 150, "");
        Host lb2 = host("lb2", "198.18.0.2", 100, "");
        assertEquals(1, lb1.platform().transportsOpened, "both instances share one endpoint");
        clock.advanceMillis(2_000);
        assertEquals(Set.of("lb1"), holdersOf(VIP));
        assertEquals(Set.of("lb1"), holdersOf(VIP2));
        assertEquals(Optional.of(RouterState.BACKUP), lb2.service().state("vi_1"));

        lb1.platform().setLink("eth0", false);
        assertEquals(Optional.of(RouterState.FAULT), lb1.service().state("vi_1"));
        assertEquals(Optional.of(RouterState.FAULT), lb1.service().state("vi_2"));
        clock.advanceMillis(1_000);
        assertEquals(Set.of("lb2"), holdersOf(VIP));
        assertEquals(Set.of("lb2"), holdersOf(VIP2));

        lb1.platform().setLink("eth0", true);
        clock.advanceMillis(2_000);
        assertEquals(Set.of("lb1"), holdersOf(VIP));
        assertEquals(Set.of("lb1"), holdersOf(VIP2));
    }

    @Test
    void trackedInterfaceWeightLowersPriorityAndTheOtherPreempts() throws Exception {
        Host lb1 = host("lb1", "198.18.0.1", 150, ", track-interfaces = [{ name = eth1, weight = -100 }]", false);
        Host lb2 = host("lb2", "198.18.0.2", 100, "", false);
        clock.advanceMillis(2_000);
        assertEquals(Set.of("lb1"), holdersOf(VIP));
        lb1.platform().setLink("eth1", false);
        assertEquals(50, lb1.service().routers().get("vi_1").effectivePriority());
        clock.advanceMillis(2_000);
        // Without a sync group only vi_1 moves (keepalived, too, ignores weights in sync groups).
        assertEquals(Set.of("lb2"), holdersOf(VIP));
        assertEquals(Set.of("lb1"), holdersOf(VIP2));
        lb1.platform().setLink("eth1", true);
        clock.advanceMillis(2_000);
        assertEquals(Set.of("lb1"), holdersOf(VIP));
    }

    @Test
    void stopReleasesAndThePeerTakesOverAfterSkewTime() throws Exception {
        Host lb1 = host("lb1", "198.18.0.1", 150, "");
        Host lb2 = host("lb2", "198.18.0.2", 100, "");
        clock.advanceMillis(2_000);
        var stopped = lb1.service().stop();
        assertEquals(Set.of("lb1"), holdersOf(VIP), "lb1 answers until lb2 advertises");
        clock.advanceMillis(100);
        assertEquals(Set.of("lb2"), holdersOf(VIP));
        assertTrue(stopped.isDone());
        assertEquals(Set.of("lb2"), holdersOf(VIP2));
    }

    @Test
    void reloadRetunesPriorityWithoutATransitionAndRestartsOnlyWhatChangedShape() throws Exception {
        Host lb1 = host("lb1", "198.18.0.1", 150, "", false);
        Host lb2 = host("lb2", "198.18.0.2", 100, "", false);
        clock.advanceMillis(2_000);
        var vi1 = lb1.service().routers().get("vi_1");
        var vi2 = lb1.service().routers().get("vi_2");
        long t1 = vi1.counters().transitions();
        long t2 = vi2.counters().transitions();
        long peer = lb2.service().routers().get("vi_1").counters().transitions();

        VrrpReloadPlan plan = lb1.service().apply(config("lb1", 120, "", false));
        assertEquals(java.util.List.of("vi_1", "vi_2"), plan.retune());
        clock.advanceMillis(2_000);
        assertEquals(120, vi1.effectivePriority());
        assertEquals(t1, vi1.counters().transitions());
        assertEquals(t2, vi2.counters().transitions());
        assertEquals(peer, lb2.service().routers().get("vi_1").counters().transitions());
        assertEquals(Set.of("lb1"), holdersOf(VIP));

        plan = lb1.service().apply(config("lb1", 120, ", virtual-ips = [\"198.18.0.102\"]", false));
        assertEquals(java.util.List.of("vi_1"), plan.carry());
        assertEquals(java.util.List.of("vi_2"), plan.unchanged());
        assertEquals(Set.of(), holdersOf(VIP), "released at once");
        assertEquals(Set.of("lb1"), holdersOf(VIP3), "claimed at once");
        clock.advanceMillis(5_000);
        assertEquals(Set.of(), holdersOf(VIP), "lb1 still wins VRID 51, now advertising only .102");
        assertEquals(Set.of("lb1"), holdersOf(VIP3));
        assertEquals(t1, lb1.service().routers().get("vi_1").counters().transitions(), "carried over: no transition");
        assertEquals(peer, lb2.service().routers().get("vi_1").counters().transitions());
        assertEquals(t2, vi2.counters().transitions(), "vi_2 untouched");
        assertEquals(vi2, lb1.service().routers().get("vi_2"));
    }

    /**
     * Every reload of a master that keeps its interface and VRID: the VIP is held by exactly the
     * master at every 10 ms sample, and neither node makes a transition.
     */
    @Test
    void reloadingAMasterOrABackupWithAnyOtherChangeCausesNoTransitionAndNoGap() throws Exception {
        Host lb1 = host("lb1", "198.18.0.1", 150, "", false);
        Host lb2 = host("lb2", "198.18.0.2", 100, "", false);
        clock.advanceMillis(2_000);
        long before = transitions(lb1) + transitions(lb2);
        String[] changes = {", garp { master-repeat = 3 }", ", notify-script = \"/bin/true\"",
                ", track-interfaces = [{ name = eth1, weight = -10 }]",
                ", virtual-ips = [\"198.18.0.100\", \"198.18.0.102\"]", ", unicast-peers = [\"198.18.0.2\"]", ""};
        for (String change : changes) {
            lb1.service().apply(config("lb1", 150, change, false));
            lb2.service().apply(config("lb2", 100, change.replace("198.18.0.2\"", "198.18.0.1\""), false));
            for (int ms = 0; ms < 1_000; ms += 10) {
                assertEquals(Set.of("lb1"), holdersOf(VIP), change + " at +" + ms + " ms");
                clock.advanceMillis(10);
            }
        }
        assertEquals(before, transitions(lb1) + transitions(lb2), "counters carried over, nothing added");
        assertEquals(Optional.of(RouterState.BACKUP), lb2.service().state("vi_1"));
        assertEquals(Set.of(), holdersOf(VIP3), "the VIP added and removed again is gone");
    }

    private static long transitions(Host h) {
        return h.service().routers().values().stream().mapToLong(r -> r.counters().transitions()).sum();
    }

    /**
     * An instance removed while master (it hands over: keeps its VIP until a new master speaks)
     * and added again before that: the handover's end must not delete the VIP that the new
     * instance claimed meanwhile.
     */
    @Test
    void anInstanceReAddedDuringItsHandoverKeepsTheVipItClaims() throws Exception {
        Host lb1 = host("lb1", "198.18.0.1", 150, "", false);
        clock.advanceMillis(2_000);
        assertEquals(Set.of("lb1"), holdersOf(VIP));
        lb1.service().apply(vrrp("lb1", """
                instances.vi_2 { interface = eth0, virtual-router-id = 52, priority = 150,
                                 advert-interval = 100ms, virtual-ips = ["198.18.0.101"] }
                """));
        assertEquals(Set.of("lb1"), holdersOf(VIP), "handing over: still answering");
        lb1.service().apply(config("lb1", 150, "", false));
        clock.advanceMillis(3_000);
        assertEquals(Optional.of(RouterState.MASTER), lb1.service().state("vi_1"));
        assertEquals(Set.of("lb1"), holdersOf(VIP), "a MASTER holds its VIP");
    }

    private static void assertLast(io.vipkeeper.vrrp.fsm.VirtualRouter r, RouterState from, RouterState to,
            String reason) {
        var t = r.lastTransition().orElseThrow();
        assertEquals(from + " -> " + to + " " + reason, t.from() + " -> " + t.to() + " " + t.reason().label());
    }

    @Test
    void anInstanceWaitsInFaultForItsInterfaceRunsWhenItAppearsAndWaitsAgainWhenItIsGone() throws Exception {
        Host lb1 = host("lb1", "198.18.0.1", config("lb1", 150, "", false), p -> p.deleteLink("eth0"));
        var vi1 = lb1.service().routers().get("vi_1");
        assertEquals(java.util.List.of("vi_1", "vi_2"), java.util.List.copyOf(lb1.service().routers().keySet()),
                "listed although not running");
        assertEquals(Optional.of(RouterState.FAULT), lb1.service().state("vi_1"));
        assertEquals(Map.of("interface", "eth0 does not exist"), vi1.faults());
        assertLast(vi1, RouterState.INITIALIZE, RouterState.FAULT, "fault");
        assertEquals(0, lb1.platform().transportsOpened);
        clock.advanceMillis(2_000);
        assertEquals(Set.of(), holdersOf(VIP));

        lb1.platform().setLink("eth0", true);
        assertEquals(1, lb1.platform().transportsOpened, "both instances share the endpoint opened now");
        assertEquals(Optional.of(RouterState.BACKUP), lb1.service().state("vi_1"));
        assertLast(vi1, RouterState.FAULT, RouterState.BACKUP, "fault_cleared");
        assertEquals(NetUtil.createInetAddressFromIpAddressString("198.18.0.1"), vi1.config().primaryAddress());
        clock.advanceMillis(2_000);
        assertEquals(Optional.of(RouterState.MASTER), lb1.service().state("vi_1"), "alone on the segment");
        assertEquals(Set.of("lb1"), holdersOf(VIP));
        assertEquals(Set.of("lb1"), holdersOf(VIP2));
        assertEquals(3, vi1.counters().transitions());

        lb1.platform().deleteLink("eth0");
        assertEquals(Optional.of(RouterState.FAULT), lb1.service().state("vi_1"));
        assertEquals(Map.of("interface", "eth0 does not exist"), vi1.faults());
        assertEquals(Set.of(), holdersOf(VIP));

        lb1.platform().setLink("eth0", true);
        assertEquals(2, lb1.platform().transportsOpened, "a new endpoint on the new interface");
        clock.advanceMillis(2_000);
        assertEquals(Optional.of(RouterState.MASTER), lb1.service().state("vi_1"));
        assertEquals(Set.of("lb1"), holdersOf(VIP));
        assertEquals(vi1, lb1.service().routers().get("vi_1"), "the same router all along");
    }

    @Test
    void aSyncGroupWaitsForAnAddressAndAPeerStillElects() throws Exception {
        Host lb1 = host("lb1", "198.18.0.1", config("lb1", 150, "", true), p -> p.setAddress("eth0", null));
        Host lb2 = host("lb2", "198.18.0.2", 100, "");
        assertEquals("eth0 has no IPv4 address", lb1.service().routers().get("vi_1").faults().get("interface"));
        assertEquals(Optional.of(RouterState.FAULT), lb1.service().state("vi_2"));
        clock.advanceMillis(2_000);
        assertEquals(Set.of("lb2"), holdersOf(VIP));
        assertEquals(Set.of("lb2"), holdersOf(VIP2));

        lb1.platform().setAddress("eth0", "198.18.0.1");
        assertEquals(Optional.of(RouterState.BACKUP), lb1.service().state("vi_1"));
        assertEquals(Optional.of(RouterState.BACKUP), lb1.service().state("vi_2"));
        clock.advanceMillis(2_000);
        assertEquals(Set.of("lb1"), holdersOf(VIP), "the higher priority preempts once it runs");
        assertEquals(Set.of("lb1"), holdersOf(VIP2));
        assertEquals(Optional.of(RouterState.BACKUP), lb2.service().state("vi_1"));
    }

    @Test
    void aMasterThatLosesItsAddressFaultsAndRunsAgainFromItOrFromTheNewOne() throws Exception {
        Host lb1 = host("lb1", "198.18.0.1", 150, "", false);
        Host lb2 = host("lb2", "198.18.0.2", 100, "", false);
        clock.advanceMillis(2_000);
        assertEquals(Set.of("lb1"), holdersOf(VIP));
        var vi1 = lb1.service().routers().get("vi_1");

        lb1.platform().setAddress("eth0", null);
        assertEquals(Optional.of(RouterState.FAULT), lb1.service().state("vi_1"));
        assertEquals(Map.of("interface", "eth0 lost its address 198.18.0.1"), vi1.faults());
        clock.advanceMillis(1_000);
        assertEquals(Set.of("lb2"), holdersOf(VIP));

        lb1.platform().setAddress("eth0", "198.18.0.1");
        assertEquals(Optional.of(RouterState.BACKUP), lb1.service().state("vi_1"));
        clock.advanceMillis(2_000);
        assertEquals(Set.of("lb1"), holdersOf(VIP), "preempts again");
        assertEquals(1, lb1.platform().transportsOpened, "from the endpoint it had");

        lb1.platform().setAddress("eth0", "198.18.0.11"); // renumbered while master
        assertLast(vi1, RouterState.FAULT, RouterState.BACKUP, "fault_cleared");
        assertEquals(2, lb1.platform().transportsOpened, "one new endpoint for both instances");
        assertEquals(NetUtil.createInetAddressFromIpAddressString("198.18.0.11"), vi1.config().primaryAddress());
        clock.advanceMillis(2_000);
        assertEquals(Optional.of(RouterState.MASTER), lb1.service().state("vi_1"));
        assertEquals(Set.of("lb1"), holdersOf(VIP));
        assertEquals(Optional.of(RouterState.BACKUP), lb2.service().state("vi_1"));
    }

    @Test
    void aGroupMemberWaitingForItsInterfaceFaultsTheGroupUntilAReloadRemovesIt() throws Exception {
        Host lb1 = host("lb1", "198.18.0.1", config("lb1", 150, ", interface = eth2", true), p -> { });
        assertEquals(Map.of("interface", "eth2 does not exist"), lb1.service().routers().get("vi_1").faults());
        assertEquals(Map.of("sync-group", "vi_1 in fault (g)"), lb1.service().routers().get("vi_2").faults());
        clock.advanceMillis(2_000);
        assertEquals(Optional.of(RouterState.FAULT), lb1.service().state("vi_2"));

        VrrpReloadPlan plan = lb1.service().apply(vrrp("lb1", """
                instances.vi_2 { interface = eth0, virtual-router-id = 52, priority = 150,
                                 advert-interval = 100ms, virtual-ips = ["198.18.0.101"] }
                """));
        assertEquals(java.util.List.of("vi_1"), plan.removed());
        assertEquals(java.util.List.of("vi_2"), plan.carry(), "its sync group is gone");
        lb1.platform().setLink("eth2", true);
        lb1.platform().setAddress("eth2", "198.18.0.21");
        clock.advanceMillis(2_000);
        assertEquals(Optional.empty(), lb1.service().state("vi_1"), "a removed waiting instance never starts");
        assertEquals(Set.of(), holdersOf(VIP));
        assertEquals(Optional.of(RouterState.MASTER), lb1.service().state("vi_2"));
        assertEquals(Set.of("lb1"), holdersOf(VIP2));
        assertEquals(1, lb1.platform().transportsOpened, "vi_2's, kept by its successor; vi_1 never opened one");
    }

    @Test
    void aWaitingInstanceRestartedByAReloadKeepsWaitingWithItsNewSettings() throws Exception {
        Host lb1 = host("lb1", "198.18.0.1", config("lb1", 150, "", false), p -> p.deleteLink("eth0"));
        VrrpReloadPlan plan = lb1.service().apply(config("lb1", 120, ", virtual-ips = [\"198.18.0.102\"]", false));
        assertEquals(java.util.List.of("vi_1"), plan.carry());
        assertEquals(java.util.List.of("vi_2"), plan.retune());
        assertEquals(Optional.of(RouterState.FAULT), lb1.service().state("vi_1"));
        assertEquals(Optional.of(RouterState.FAULT), lb1.service().state("vi_2"));
        lb1.platform().setLink("eth0", true);
        clock.advanceMillis(2_000);
        assertEquals(Set.of("lb1"), holdersOf(NetUtil.createInetAddressFromIpAddressString("198.18.0.102")));
        assertEquals(Set.of(), holdersOf(VIP));
        assertEquals(Set.of("lb1"), holdersOf(VIP2));
        assertEquals(120, lb1.service().routers().get("vi_2").effectivePriority(), "retuned while waiting");
    }

    @Test
    void aMasterPutsBackAVipRemovedByHandAndABackupLeavesItAlone() throws Exception {
        Host lb1 = host("lb1", "198.18.0.1", 150, "", false);
        Host lb2 = host("lb2", "198.18.0.2", 100, "", false);
        clock.advanceMillis(2_000);
        var vi1 = lb1.service().routers().get("vi_1");
        lb1.platform().removeVipByHand(VIP);
        assertEquals(Set.of("lb1"), holdersOf(VIP), "a MASTER holds its VIP");
        assertEquals(1, vi1.counters().addressesRestored());
        lb2.platform().removeVipByHand(VIP);
        assertEquals(0, lb2.service().routers().get("vi_1").counters().addressesRestored());
        lb1.service().apply(config("lb1", 150, ", virtual-ips = [\"198.18.0.102\"]", false));
        assertEquals(Set.of(), holdersOf(VIP), "its own release is not undone");
        assertEquals(1, lb1.service().routers().get("vi_1").counters().addressesRestored(), "carried over");
    }
}
