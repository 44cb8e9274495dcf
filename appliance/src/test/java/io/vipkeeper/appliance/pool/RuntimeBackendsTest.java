package io.vipkeeper.appliance.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.config.RealServer;
import io.vipkeeper.appliance.config.VirtualServer;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime backends ({@code backend add|remove}) through the data plane manager into an in-memory
 * kernel table and a state file: what add and remove do, each refusal, restart and reload merge.
 */
class RuntimeBackendsTest {
    private static final ServiceKey WEB = ServiceKey.of(TransportProtocol.TCP, TableReconcilerTest.ip("198.18.0.100"), 80);
    private static final BackendKey RS1 = new BackendKey(TableReconcilerTest.ip("198.18.1.1"), 80);
    private static final BackendKey RS3 = new BackendKey(TableReconcilerTest.ip("198.18.1.3"), 80);
    private static final String WEB_CONF = "vipkeeper.ipvs.virtual-servers.web { address = \"198.18.0.100\", port = 80,"
            + " health-check { type = http, http.path = \"/ok\" }, real-servers = [ { address = \"198.18.1.1\" } ] }\n";
    private static final String MARK_CONF = "vipkeeper.ipvs.virtual-servers.mark { fwmark = 7, health-check.connect-port = 80,"
            + " real-servers = [ { address = \"198.18.2.1\" } ] }\n";

    @TempDir
    Path dir;
    private final InMemoryIpvs kernel = new InMemoryIpvs();
    /** What the manager last handed the health monitor. */
    private final AtomicReference<IpvsSettings> checked = new AtomicReference<>();

    private IpvsSettings settings(String text) throws Exception {
        Path f = dir.resolve("vipkeeper.conf");
        Files.writeString(f, text);
        return ConfigLoader.load(f).ipvs();
    }

    private Path stateFile() {
        return dir.resolve("state").resolve("runtime-state.json");
    }

    private DataPlaneManager manager() {
        DataPlaneManager m = new DataPlaneManager("ipvs", () -> kernel, NatSetup.NONE, Map::of, OwnedServices.NONE,
                RuntimeState.in(stateFile()));
        m.checkWith(checked::set);
        return m;
    }

    private Map<BackendKey, ActualBackend> dests() {
        return kernel.table().get(WEB).dests();
    }

    @Test
    void anAddedBackendIsProgrammedCheckedWithTheServicesCheckAndShownAsRuntime() throws Exception {
        try (DataPlaneManager m = manager()) {
            m.start(settings(WEB_CONF));
            BackendChange c = m.backend("web", "198.18.1.3", BackendOrder.ADD, 4, "root");
            assertEquals("added", c.event());
            assertEquals("runtime", c.origin());
            assertEquals("198.18.1.3:80", c.backend(), "a bare address takes the service's port");
            assertEquals(4, dests().get(RS3).spec().weight(), "in the kernel table when add returns");
            VirtualServer web = checked.get().virtualServers().get("web");
            RealServer added = web.realServers().stream().filter(rs -> rs.key().equals(RS3)).findFirst().orElseThrow();
            assertEquals(web.healthCheck(), added.healthCheck(), "the health monitor checks it with the service's check");
            assertEquals(web.realServers().get(0).healthCheck(), added.healthCheck());
            assertEquals(List.of(RS3), m.runtimeBackends().get("web").stream().map(RealServer::key).toList());
            m.health("web", RS3, false, "connection refused");
            m.reconcileNow();
            assertFalse(dests().containsKey(RS3), "its failed check takes it out as it takes the file's backends out");
            m.health("web", RS3, true, "200 OK");
            m.reconcileNow();
            assertEquals(4, dests().get(RS3).spec().weight());
            m.backend("web", "198.18.1.3:80", BackendOrder.DRAIN, null, "root");
            assertEquals(0, dests().get(RS3).spec().weight(), "the state orders work on it too");
            assertEquals("runtime", m.backend("web", "198.18.1.3:80", BackendOrder.ENABLE, null, "root").origin());
            assertEquals(RuntimeBackends.DEFAULT_WEIGHT, m.backend("web", "198.18.1.4:8080", BackendOrder.ADD, null, "root")
                    .configWeight(), "without a weight: the config's default");
        }
    }

    @Test
    void everyBadAddIsRefusedWithItsReasonAndChangesNothing() throws Exception {
        try (DataPlaneManager m = manager()) {
            m.start(settings(WEB_CONF + MARK_CONF
                    + "vipkeeper.ipvs.virtual-servers.ported { fwmark = 8, real-servers = [ { address = \"198.18.3.1\", port = 80 } ] }\n"));
            m.backend("web", "198.18.1.3:80", BackendOrder.ADD, null, "root");
            Map<ServiceKey, ActualService> table = kernel.table();
            String file = Files.readString(stateFile());
            assertRefused(m, "api", "198.18.1.5:80", 1, BackendRefusal.Reason.UNKNOWN_VIRTUAL_SERVER, "no virtual server api");
            assertRefused(m, "web", "198.18.1.1:80", 1, BackendRefusal.Reason.DUPLICATE, "already (in the config)");
            assertRefused(m, "web", "198.18.1.3", 1, BackendRefusal.Reason.DUPLICATE, "already (added at runtime)");
            assertRefused(m, "web", "web5.example", 1, BackendRefusal.Reason.BAD_REQUEST, "is not a backend address");
            assertRefused(m, "web", "198.18.1.5:0", 1, BackendRefusal.Reason.BAD_REQUEST, "is not a backend address");
            assertRefused(m, "web", "198.18.1.5:80", 65536, BackendRefusal.Reason.BAD_REQUEST, "0..65535");
            assertRefused(m, "web", "198.18.1.5:80", -1, BackendRefusal.Reason.BAD_REQUEST, "0..65535");
            assertRefused(m, "web", "[2001:db8::5]:80", 1, BackendRefusal.Reason.BAD_REQUEST, "only tun may mix families");
            assertRefused(m, "mark", "198.18.2.5:80", 1, BackendRefusal.Reason.BAD_REQUEST, "carry no port");
            assertRefused(m, "ported", "198.18.3.5", 1, BackendRefusal.Reason.BAD_REQUEST, "carry a port");
            for (String odd : List.of("0.0.0.0:80", "127.0.0.1:80", "255.255.255.255:80", "224.0.0.18:80")) {
                assertRefused(m, "web", odd, 1, BackendRefusal.Reason.BAD_REQUEST, "not one host's unicast address");
            }
            assertRefused(m, "web", "198.18.0.100:80", 1, BackendRefusal.Reason.BAD_REQUEST, "own address");
            assertEquals(table, kernel.table());
            assertEquals(file, Files.readString(stateFile()));
            m.backend("mark", "198.18.2.5", BackendOrder.ADD, null, "root");
            m.backend("ported", "198.18.3.5:81", BackendOrder.ADD, null, "root");
        }
    }

    private static void assertRefused(DataPlaneManager m, String vs, String rs, Integer weight,
            BackendRefusal.Reason reason, String says) {
        BackendRefusal r = assertThrows(BackendRefusal.class, () -> m.backend(vs, rs, BackendOrder.ADD, weight, "root"),
                vs + " " + rs);
        assertEquals(reason, r.reason(), r.getMessage());
        assertTrue(r.getMessage().contains(says), r.getMessage());
    }

    @Test
    void removeRefusesTheFilesBackendsAndDrainsARuntimeOneBeforeDeletingIt() throws Exception {
        try (DataPlaneManager m = manager()) {
            m.start(settings("vipkeeper.ipvs.drain-timeout = 300ms\n" + WEB_CONF));
            m.backend("web", "198.18.1.3:80", BackendOrder.ADD, 5, "root");
            m.backend("web", "198.18.1.3:80", BackendOrder.WEIGHT, 6, "root");
            BackendRefusal r = assertThrows(BackendRefusal.class,
                    () -> m.backend("web", "198.18.1.1:80", BackendOrder.REMOVE, null, "root"));
            assertEquals(BackendRefusal.Reason.CONFIG_BACKEND, r.reason());
            assertTrue(r.getMessage().contains("edit the file"), r.getMessage());
            assertEquals(BackendRefusal.Reason.UNKNOWN_BACKEND, assertThrows(BackendRefusal.class,
                    () -> m.backend("web", "198.18.1.9:80", BackendOrder.REMOVE, null, "root")).reason());
            assertEquals(1, dests().get(RS1).spec().weight());
            BackendChange c = m.backend("web", "198.18.1.3:80", BackendOrder.REMOVE, null, "root");
            assertEquals("removed", c.event());
            assertEquals(0, dests().get(RS3).spec().weight(), "drained first: weight 0, its connections finish");
            assertNull(m.runtimeStates().get("web"), "its runtime state is gone with it");
            assertFalse(m.runtimeBackends().containsKey("web"));
            assertFalse(checked.get().virtualServers().get("web").realServers().stream().anyMatch(rs -> rs.key().equals(RS3)),
                    "no longer checked");
            assertFalse(Files.readString(stateFile()).contains("198.18.1.3"), Files.readString(stateFile()));
            Thread.sleep(400);
            m.reconcileNow();
            assertFalse(dests().containsKey(RS3), "deleted once drained (drain-timeout here)");
        }
    }

    @Test
    void runtimeBackendsSurviveARestartAndAReloadMergesThemWithTheFile() throws Exception {
        String withApi = WEB_CONF + "vipkeeper.ipvs.virtual-servers.api { address = \"198.18.0.101\", port = 80,"
                + " real-servers = [ { address = \"198.18.1.1\" } ] }\n";
        try (DataPlaneManager m = manager()) {
            m.start(settings(withApi));
            m.backend("web", "198.18.1.3:80", BackendOrder.ADD, 4, "root");
            m.backend("web", "198.18.1.3:80", BackendOrder.DRAIN, null, "root");
            m.backend("api", "198.18.1.7:80", BackendOrder.ADD, 2, "root");
        }
        kernel.services.clear();
        try (DataPlaneManager m = manager()) {
            m.start(settings(withApi));
            assertEquals(0, dests().get(RS3).spec().weight(), "added and drained, after a restart");
            assertEquals(Map.of("web", Map.of(RS3, 4), "api", Map.of(new BackendKey(TableReconcilerTest.ip("198.18.1.7"), 80), 2)),
                    RuntimeState.in(stateFile()).loaded().added());
            m.apply(settings(WEB_CONF));
            assertEquals(Map.of("web", Map.of(RS3, 4)), RuntimeState.in(stateFile()).loaded().added(),
                    "a reload that drops the service drops its runtime backends");
            m.apply(settings(WEB_CONF.replace("{ address = \"198.18.1.1\" }",
                    "{ address = \"198.18.1.1\" }, { address = \"198.18.1.3\", weight = 9 }")));
            assertEquals(Map.of(), RuntimeState.in(stateFile()).loaded().added(), "in the file now: a config backend");
            assertEquals(Map.of("web", Map.of(RS3, new BackendAdmin(AdminState.DRAINED, null))), m.runtimeStates(),
                    "the operator's drain stays");
            assertEquals(BackendRefusal.Reason.CONFIG_BACKEND, assertThrows(BackendRefusal.class,
                    () -> m.backend("web", "198.18.1.3:80", BackendOrder.REMOVE, null, "root")).reason());
            m.backend("web", "198.18.1.3:80", BackendOrder.ENABLE, null, "root");
            assertEquals(9, dests().get(RS3).spec().weight(), "at the file's weight");
        }
    }
    /**
     * An engine that keeps IPv6 persistence on one port (nftables) refuses, through its
     * capabilities, a runtime backend on another port of such a service; any other engine, a
     * backend on the service's port, or no engine open yet is not refused.
     */
    @Test
    void aBackendOnAnotherPortOfAnIpv6PersistentServiceIsRefusedByTheEnginesRule() throws Exception {
        VirtualServer six = settings("vipkeeper.ipvs.virtual-servers.six { address = \"2001:db8:192::100\", port = 80,"
                + " persistence.timeout = 60s, health-check.type = none,"
                + " real-servers = [ { address = \"2001:db8:192::11\", port = 8080 } ] }\n").virtualServers().get("six");
        io.vipkeeper.appliance.dataplane.Capabilities onePort = io.vipkeeper.appliance.dataplane.Capabilities.everything(
                "nftables").without(io.vipkeeper.appliance.dataplane.Capabilities.Option.PERSISTENCE_IPV6_PORTS);
        BackendKey other = new BackendKey(TableReconcilerTest.ip("2001:db8:192::12"), 8081);
        String why = RuntimeBackends.engineProblem(six, other, onePort).orElseThrow();
        assertTrue(why.startsWith("virtual server six is persistent over IPv6 and its backends are on port 8080: the"
                + " nftables data plane has no IPv6 persistence over real servers on different ports"), why);
        BackendKey samePort = new BackendKey(TableReconcilerTest.ip("2001:db8:192::12"), 8080);
        assertTrue(RuntimeBackends.engineProblem(six, samePort, onePort).isEmpty());
        assertTrue(RuntimeBackends.engineProblem(six, other,
                io.vipkeeper.appliance.dataplane.Capabilities.everything("ipvs")).isEmpty());
        assertTrue(RuntimeBackends.engineProblem(six, other, null).isEmpty());
    }

    /** An IPv6 service persistent per client address, its real server on {@code port}, as nftables keeps one. */
    private IpvsSettings six(int port) throws Exception {
        kernel.capabilities = io.vipkeeper.appliance.dataplane.Capabilities.everything("nftables")
                .without(io.vipkeeper.appliance.dataplane.Capabilities.Option.PERSISTENCE_IPV6_PORTS);
        return settings("vipkeeper.ipvs.virtual-servers.six { address = \"2001:db8:192::100\", port = 80,"
                + " persistence.timeout = 60s, health-check.type = none,"
                + " real-servers = [ { address = \"2001:db8:192::11\", port = " + port + " } ] }\n");
    }

    private static final ServiceKey SIX = ServiceKey.of(TransportProtocol.TCP, TableReconcilerTest.ip("2001:db8:192::100"), 80);
    private static final String RUNTIME_SIX = "[2001:db8:192::12]:8080";

    /** The ports of the live (weight above 0) backends of six in the kernel table. */
    private java.util.Set<Integer> livePorts() {
        return kernel.table().get(SIX).dests().values().stream().filter(b -> b.spec().weight() > 0)
                .map(b -> b.spec().key().port()).collect(java.util.stream.Collectors.toSet());
    }

    /**
     * A reload that moves an IPv6 persistent pool on nftables to another port while a runtime
     * backend sits on the old one is refused with what to do (the daemon's reload asks {@link
     * DataPlaneManager#runtimeConflicts} first); the same file on the runtime backend's port is not.
     */
    @Test
    void aReloadMovingAnIpv6PersistentPoolAwayFromARuntimeBackendIsAnsweredWithTheConflict() throws Exception {
        try (DataPlaneManager m = manager()) {
            m.start(six(8080));
            m.backend("six", RUNTIME_SIX, BackendOrder.ADD, null, "root");
            List<String> why = m.runtimeConflicts(six(9090));
            assertEquals(1, why.size(), why.toString());
            assertTrue(why.get(0).startsWith("vipkeeper.ipvs.virtual-servers.six.real-servers: runtime backend "
                    + RUNTIME_SIX + " (vipkeeper backend add, on port 8080) conflicts with this file: virtual server six"
                    + " is persistent over IPv6 and its backends are on port 9090: the nftables data plane has no IPv6"
                    + " persistence over real servers on different ports"), why.get(0));
            assertTrue(why.get(0).endsWith("; `vipkeeper backend remove six " + RUNTIME_SIX + "` first (or put it in the"
                    + " file on the file's port), then reload"), why.get(0));
            assertEquals(List.of(), m.runtimeConflicts(six(8080)));
            assertEquals(List.of(RUNTIME_SIX), m.runtimeBackends().get("six").stream().map(RealServer::identity).toList(),
                    "asking changes nothing");
        }
    }

    /**
     * Where the reload cannot be refused (a start with a file edited meanwhile, an order that came
     * between the reload's check and the reload), the conflicting runtime backend is dropped, never
     * merged in on the old port, where the engine refused every new real server at every run while
     * the old ones drained: the pool ended with the runtime backend alone.
     */
    @Test
    void aRuntimeBackendTheEngineCannotKeepBesideTheMovedPoolIsDroppedNotMergedIn() throws Exception {
        try (DataPlaneManager m = manager()) {
            m.start(six(8080));
            m.backend("six", RUNTIME_SIX, BackendOrder.ADD, null, "root");
            m.apply(six(9090));
            assertEquals(java.util.Set.of(9090), livePorts(), "only the file's port takes new connections");
            assertEquals(Map.of(), m.runtimeBackends());
            assertFalse(Files.readString(stateFile()).contains("2001:db8:192::12"), Files.readString(stateFile()));
            assertTrue(checked.get().virtualServers().get("six").realServers().stream().allMatch(rs -> rs.port() == 9090));
        }
        kernel.services.clear();
        try (DataPlaneManager m = manager()) {
            m.start(six(8080));
            m.backend("six", RUNTIME_SIX, BackendOrder.ADD, null, "root");
        }
        try (DataPlaneManager m = manager()) {
            m.start(six(9090)); // the file edited while the daemon was stopped: the engine opens after the install
            assertEquals(java.util.Set.of(9090), livePorts());
            assertEquals(Map.of(), m.runtimeBackends());
            assertFalse(Files.readString(stateFile()).contains("2001:db8:192::12"), Files.readString(stateFile()));
        }
    }

    /** A bare address means the service's port; a refusal by the one-port rule says so. */
    @Test
    void aBackendWithoutAPortRefusedByTheOnePortRuleIsToldItMeantTheServicesPort() throws Exception {
        try (DataPlaneManager m = manager()) {
            m.start(six(8080));
            BackendRefusal r = assertThrows(BackendRefusal.class,
                    () -> m.backend("six", "2001:db8:192::13", BackendOrder.ADD, null, "root"));
            assertTrue(r.getMessage().endsWith("add the backend on that port; 2001:db8:192::13 has no port, which means"
                    + " the service's port, 80: give [ADDR]:PORT"), r.getMessage());
            r = assertThrows(BackendRefusal.class,
                    () -> m.backend("six", "[2001:db8:192::13]:8081", BackendOrder.ADD, null, "root"));
            assertFalse(r.getMessage().contains("has no port"), r.getMessage());
        }
    }
}
