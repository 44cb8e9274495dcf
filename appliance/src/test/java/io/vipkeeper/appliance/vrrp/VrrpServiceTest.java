package io.vipkeeper.appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.VrrpSettings;
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
        Path f = dir.resolve(name + ".conf");
        Files.writeString(f, """
                vipkeeper.vrrp {
                  instances {
                    vi_1 { interface = eth0, virtual-router-id = 51, priority = %d,
                           advert-interval = 100ms, virtual-ips = ["198.18.0.100"] %s }
                    vi_2 { interface = eth0, virtual-router-id = 52, priority = %d,
                           advert-interval = 100ms, virtual-ips = ["198.18.0.101"] }
                  }
                  %s
                }
                """.formatted(priority, extra, priority, syncGroup ? "sync-groups { g = [vi_1, vi_2] }" : ""));
        return ConfigLoader.load(f).vrrp();
    }

    private record Host(InMemoryPlatform platform, VrrpService service) {
    }

    private Host host(String name, String address, int priority, String extra) throws Exception {
        return host(name, address, priority, extra, true);
    }

    private Host host(String name, String address, int priority, String extra, boolean syncGroup) throws Exception {
        InMemoryPlatform p = new InMemoryPlatform(name, net, address, holders);
        VrrpService s = new VrrpService(p, clock, runner, timer);
        s.start(config(name, priority, extra, syncGroup));
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
        assertEquals(java.util.List.of("vi_1"), plan.restart());
        assertEquals(java.util.List.of("vi_2"), plan.unchanged());
        clock.advanceMillis(5_000);
        assertEquals(Set.of(), holdersOf(VIP), "lb1 still wins VRID 51, now advertising only .102");
        assertEquals(Set.of("lb1"), holdersOf(NetUtil.createInetAddressFromIpAddressString("198.18.0.102")));
        assertEquals(t2, vi2.counters().transitions(), "vi_2 untouched");
        assertEquals(vi2, lb1.service().routers().get("vi_2"));
    }
}
