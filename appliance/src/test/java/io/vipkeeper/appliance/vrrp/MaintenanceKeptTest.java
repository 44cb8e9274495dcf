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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instances kept in maintenance start in it, stay in it across a reload, and a reload that removes one drops it. */
class MaintenanceKeptTest {
    private static final InetAddress VIP = NetUtil.createInetAddressFromIpAddressString("198.18.0.100");

    private static final String ONE = "\"198.18.0.100\"";

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

    private VrrpSettings config(int priority, String vips) throws Exception {
        Path f = dir.resolve("c-" + System.nanoTime() + ".conf");
        Files.writeString(f, """
                vipkeeper.vrrp.instances {
                  vi_1 { interface = eth0, virtual-router-id = 51, priority = %d,
                         advert-interval = 100ms, virtual-ips = [%s] }
                }
                """.formatted(priority, vips));
        return ConfigLoader.load(f).vrrp();
    }

    private VrrpService host(String name, String address, VrrpSettings settings, Maintenance kept) {
        VrrpService s = new VrrpService(new InMemoryPlatform(name, net, address, holders), clock, runner, timer);
        s.useMaintenance(kept);
        s.start(settings);
        return s;
    }

    @Test
    void aKeptInstanceNeverBecomesMasterAcrossAReloadUntilOff() throws Exception {
        Maintenance.Store store = Maintenance.inMemory();
        store.save(Set.of("vi_1"));
        Maintenance kept = new Maintenance(store);
        VrrpService lb1 = host("lb1", "198.18.0.1", config(150, ONE), kept);
        host("lb2", "198.18.0.2", config(100, ONE), new Maintenance(Maintenance.inMemory()));
        clock.advanceMillis(10_000);
        assertEquals(Set.of("lb2"), holders.getOrDefault(VIP, Set.of()), "lb1 has the higher priority but is kept out");
        assertEquals(Optional.of(RouterState.BACKUP), lb1.state("vi_1"));

        // A reload that rebuilds the router (another VIP: a new router carries the state over) keeps it in maintenance.
        lb1.apply(config(150, ONE + ", \"198.18.0.101\""));
        clock.advanceMillis(10_000);
        assertEquals(Set.of("lb2"), holders.getOrDefault(VIP, Set.of()));
        assertTrue(lb1.routers().get("vi_1").inMaintenance());

        lb1.setMaintenance(List.of("vi_1"), false, false);
        clock.advanceMillis(10_000);
        assertEquals(Set.of("lb1"), holders.getOrDefault(VIP, Set.of()), "off: it preempts");
    }

    @Test
    void aReloadThatRemovesTheInstanceDropsItsMaintenance() throws Exception {
        Maintenance.Store store = Maintenance.inMemory();
        store.save(Set.of("vi_1", "gone"));
        Maintenance kept = new Maintenance(store);
        assertEquals(List.of("gone"), kept.retain(config(150, ONE)));
        assertEquals(Set.of("vi_1"), kept.names());
        assertEquals(Set.of("vi_1"), store.load(), "written back");
    }
}
