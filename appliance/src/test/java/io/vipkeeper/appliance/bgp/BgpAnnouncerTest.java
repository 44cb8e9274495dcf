package io.vipkeeper.appliance.bgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.bgp.AnnounceDecision.DataPlaneView;
import io.vipkeeper.appliance.bgp.AnnounceDecision.Phase;
import io.vipkeeper.appliance.config.BgpSettings;
import io.vipkeeper.appliance.config.VirtualServer;
import io.vipkeeper.appliance.config.ConfigCache;
import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The announcer on a device in memory: what reaches the device and the listener on start, on
 * stop, on a reload that drops a VIP, and when the device cannot be created (the real device is
 * tested in BgpEcmpIT).
 */
class BgpAnnouncerTest {
    private final Set<InetAddress> onDevice = new LinkedHashSet<>();
    private final List<String> told = new ArrayList<>();
    private boolean deviceClosed;

    private final AnnounceDevice device = new AnnounceDevice() {
        @Override
        public void add(InetAddress vip) {
            onDevice.add(vip);
        }

        @Override
        public void remove(InetAddress vip) {
            onDevice.remove(vip);
        }

        @Override
        public void close() {
            onDevice.clear();
            deviceClosed = true;
        }
    };

    /** A virtual server on each VIP the tests name (a on .100, b on .101), as the config check demands. */
    private static final Collection<VirtualServer> SERVERS = servers();

    private final BgpAnnouncer.Inputs noServers = inputs(Map::of);

    private static Collection<VirtualServer> servers() {
        try {
            Path f = Files.createTempFile("bgp-announcer", ".conf");
            try {
                Files.writeString(f, """
                        vipkeeper.ipvs.virtual-servers {
                          a { address = "198.18.0.100", port = 80, scheduler = mh, real-servers = [{ address = "198.18.0.13" }] }
                          b { address = "198.18.0.101", port = 80, scheduler = mh, real-servers = [{ address = "198.18.0.13" }] }
                        }
                        """);
                return ConfigLoader.load(f, ConfigCache.NONE, c -> NftablesDataPlane.CAPABILITIES).ipvs().virtualServers().values();
            } finally {
                Files.delete(f);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Both virtual servers programmed, and the quorums {@code quorums} gives (a name missing is held). */
    private static BgpAnnouncer.Inputs inputs(java.util.function.Supplier<Map<String, Boolean>> quorums) {
        return new BgpAnnouncer.Inputs() {
            @Override
            public Collection<VirtualServer> virtualServers() {
                return SERVERS;
            }

            @Override
            public DataPlaneView dataPlane() {
                return new DataPlaneView(Optional.of(SERVERS.stream().map(VirtualServer::key).collect(Collectors.toSet())),
                        Optional.empty());
            }

            @Override
            public Map<String, Boolean> quorums() {
                return quorums.get();
            }
        };
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static BgpSettings settings(InetAddress... vips) {
        return new BgpSettings(List.of(vips), "vk-test", Duration.ofHours(1), Duration.ZERO, false);
    }

    private BgpAnnouncer announcer() {
        return new BgpAnnouncer(() -> device, noServers, (vip, on, why) -> told.add(vip.getHostAddress() + " " + on + " " + why),
                Clock.systemUTC());
    }

    @Test
    void announcedOnlyOnceRunningAndWithdrawnFirstThingWhenStopping() throws Exception {
        try (BgpAnnouncer a = announcer()) {
            a.apply(settings(ip("198.18.0.100")));
            assertTrue(onDevice.isEmpty(), "nothing announced while starting");
            a.phase(Phase.RUNNING);
            assertEquals(Set.of(ip("198.18.0.100")), onDevice);
            a.phase(Phase.STOPPING);
            assertTrue(onDevice.isEmpty(), "withdrawn when the phase changes, before anything else stops");
            assertFalse(deviceClosed);
            assertEquals(List.of("198.18.0.100 false starting", "198.18.0.100 true serving virtual server a",
                    "198.18.0.100 false stopping"), told);
            assertEquals(2, a.states().get(0).changes());
        }
        assertTrue(deviceClosed);
    }

    @Test
    void stoppingWithdrawsWhileADecisionWaitsForABusyDataPlane() throws Exception {
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        boolean[] block = {false};
        BgpAnnouncer.Inputs busy = inputs(() -> {
            if (block[0]) {
                asked.countDown();
                try {
                    release.await(); // a reconcile run holding the data plane's thread
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Map.of();
        });
        try (BgpAnnouncer a = new BgpAnnouncer(() -> device, busy, (vip, on, why) -> { }, Clock.systemUTC())) {
            a.apply(settings(ip("198.18.0.100")));
            a.phase(Phase.RUNNING);
            assertEquals(Set.of(ip("198.18.0.100")), onDevice);
            block[0] = true;
            Thread checker = new Thread(a::check);
            checker.start();
            asked.await();
            Thread stopper = new Thread(() -> a.phase(Phase.STOPPING));
            stopper.start();
            stopper.join(10_000);
            boolean stoppedFirst = !stopper.isAlive();
            release.countDown();
            checker.join();
            stopper.join();
            assertTrue(stoppedFirst, "the stop waited for the data plane's thread");
            assertTrue(onDevice.isEmpty(), "and the check that was waiting announced nothing again");
        }
    }

    @Test
    void aReloadThatDropsAVipWithdrawsItAndKeepsTheOthers() throws Exception {
        try (BgpAnnouncer a = announcer()) {
            a.apply(settings(ip("198.18.0.100"), ip("198.18.0.101")));
            a.phase(Phase.RUNNING);
            a.apply(settings(ip("198.18.0.101")));
            assertEquals(Set.of(ip("198.18.0.101")), onDevice);
            assertTrue(told.contains("198.18.0.100 false removed from the config"), told.toString());
            assertEquals(List.of(ip("198.18.0.101")), a.states().stream().map(BgpAnnouncer.VipState::vip).toList());
        }
    }

    @Test
    void aDeviceThatCannotBeCreatedLeavesTheVipWithdrawnWithTheReasonAndIsTriedAgain() throws Exception {
        int[] tries = {0};
        try (BgpAnnouncer a = new BgpAnnouncer(() -> {
            if (tries[0]++ == 0) {
                throw new IllegalStateException("no /dev/net/tun");
            }
            return device;
        }, noServers, (vip, on, why) -> told.add(why), Clock.systemUTC())) {
            a.apply(settings(ip("198.18.0.100")));
            a.phase(Phase.RUNNING);
            assertFalse(a.states().get(0).announced());
            assertEquals("device vk-test: no /dev/net/tun", a.states().get(0).reason());
            a.check();
            assertTrue(a.states().get(0).announced());
            assertEquals(Set.of(ip("198.18.0.100")), onDevice);
        }
    }

    @Test
    void aReloadThatDropsEveryVipClosesTheDeviceAndTheNextVipOpensItAfresh() throws Exception {
        int[] opened = {0};
        try (BgpAnnouncer a = new BgpAnnouncer(() -> {
            opened[0]++;
            return device;
        }, noServers, (vip, on, why) -> { }, Clock.systemUTC())) {
            a.apply(settings(ip("198.18.0.100")));
            a.phase(Phase.RUNNING);
            a.apply(settings());
            assertTrue(deviceClosed, "no VIP left: the device goes, so a reload may then name another");
            a.apply(settings(ip("198.18.0.101")));
            assertEquals(Set.of(ip("198.18.0.101")), onDevice);
            assertEquals(2, opened[0]);
        }
    }
}
