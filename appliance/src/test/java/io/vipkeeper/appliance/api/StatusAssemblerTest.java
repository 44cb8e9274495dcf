package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.api.ReloadResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot joins config, routers, the kernel table and health, and survives JSON both ways. */
class StatusAssemblerTest {
    @TempDir
    Path dir;

    @Test
    void daemonAndReloads() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            f.reloadsOk = 2;
            f.reloadsFailed = 1;
            f.lastReload = Optional.of(new ReloadResult(StatusFixture.STARTED.plusSeconds(50), false,
                    List.of("vipkeeper.conf:3: bad priority"), "refused: 1 problem"));
            StatusSnapshot s = f.assembler().snapshot();
            assertEquals("lb1", s.node());
            assertTrue(s.version().startsWith("vipkeeper "), s.version());
            assertEquals(dir.resolve("vipkeeper.conf").toString(), s.configFile());
            assertEquals(f.settings.digest(), s.configDigest());
            assertTrue(s.configDigest().matches("[0-9a-f]{64}"), s.configDigest());
            assertEquals("2026-11-23T10:00:00.000Z", s.startedAt());
            assertEquals("2026-11-23T10:00:30.000Z", s.loadedAt());
            assertEquals(new StatusSnapshot.Reloads(2, 1, new StatusSnapshot.LastReload("2026-11-23T10:00:50.000Z", false,
                    List.of("vipkeeper.conf:3: bad priority"), "refused: 1 problem")), s.reloads());
        }
    }

    @Test
    void vrrpInstancesInConfigOrder() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            StatusSnapshot s = f.assembler().snapshot();
            assertEquals(List.of("web", "db", "mail"), s.vrrpInstances().stream().map(StatusSnapshot.Instance::name).toList());
            StatusSnapshot.Instance web = s.vrrpInstances().get(0);
            assertEquals("MASTER", web.state());
            assertEquals("eth0", web.interfaceName());
            assertEquals(51, web.vrid());
            assertEquals(3, web.version());
            assertEquals(150, web.configuredPriority());
            assertEquals(150, web.effectivePriority());
            assertEquals("198.18.0.1", web.masterAddress());
            assertEquals(1000, web.advertIntervalMs());
            assertEquals(1000, web.masterAdvertIntervalMs());
            // INITIALIZE -> BACKUP at start, BACKUP -> MASTER when Master_Down_Timer fired 3.41 s later.
            assertEquals(2, web.transitions());
            StatusSnapshot.LastTransition t = web.lastTransition();
            assertEquals("BACKUP", t.from());
            assertEquals("MASTER", t.to());
            assertEquals("master_down", t.reason());
            // Wall clock at start + 60 s; on the VRRP clock the transition (3.4140625 s) was 85.9 ms before now (3.5 s).
            assertEquals("2026-11-23T10:00:59.914Z", t.at());
            assertTrue(web.advertsSent() >= 1);
            assertEquals(List.of("198.18.0.100/24"), web.virtualIps());

            StatusSnapshot.Instance db = s.vrrpInstances().get(1);
            assertEquals("BACKUP", db.state());
            assertEquals(2, db.drops().get("checksum"));
            assertEquals(1, db.drops().get("ttl"));
            assertEquals(0, db.drops().get("authType"));
            assertEquals(0, db.drops().get("hmacReplay"));
            assertEquals(18, db.drops().size(), "every reason, zeros included");

            StatusSnapshot.Instance mail = s.vrrpInstances().get(2);
            assertEquals("FAULT", mail.state());
            assertEquals(Map.of("track-interface eth9", "eth9 is down"), mail.faults());
            assertEquals("fault", mail.lastTransition().reason());
        }
    }

    @Test
    void virtualServersWithKernelAndHealth() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            StatusSnapshot s = f.assembler().snapshot();
            assertEquals(List.of("web", "dns"), s.virtualServers().stream().map(StatusSnapshot.VirtualServerStatus::name).toList());
            StatusSnapshot.VirtualServerStatus web = s.virtualServers().get(0);
            assertEquals("tcp 198.18.0.100:80", web.identity());
            assertEquals("wrr", web.scheduler());
            assertEquals("nat", web.forwarding());
            assertTrue(web.inKernel());
            assertEquals(new StatusSnapshot.Counters(160, 5900, 4800, 690_000, 10_000_000), web.counters());

            StatusSnapshot.RealServerStatus rs1 = web.realServers().get(0);
            assertEquals("198.18.1.1:8080", rs1.address());
            assertEquals("up", rs1.health());
            assertEquals("connected", rs1.lastResult());
            assertEquals("2026-11-23T10:00:02.000Z", rs1.since());
            assertEquals(1, rs1.configuredWeight());
            assertEquals(1, rs1.kernelWeight());
            assertEquals(7, rs1.activeConnections());
            assertEquals(3, rs1.inactiveConnections());
            assertEquals(new StatusSnapshot.Counters(120, 5000, 4000, 600_000, 9_000_000), rs1.counters());

            StatusSnapshot.RealServerStatus rs2 = web.realServers().get(1);
            assertEquals("down", rs2.health());
            assertEquals(2, rs2.configuredWeight());
            assertEquals(0, rs2.kernelWeight());

            StatusSnapshot.RealServerStatus rs3 = web.realServers().get(2);
            assertEquals("unchecked", rs3.health());
            assertNull(rs3.lastResult());
            assertNull(rs3.kernelWeight(), "not in the kernel");
            assertNull(rs3.activeConnections());
            assertNull(rs3.counters());

            StatusSnapshot.VirtualServerStatus dns = s.virtualServers().get(1);
            assertEquals("udp 198.18.0.100:53", dns.identity());
            assertFalse(dns.inKernel());
            assertNull(dns.counters());

            assertTrue(s.ipvs().runs() >= 1);
            assertTrue(s.ipvs().changes() >= 1, "the manager tried to add what the fixed kernel lacks");
            assertTrue(s.ipvs().tableReadAt() != null);
        }
    }

    @Test
    void realServerRemovedFromTheConfigButDrainingIsListedLast() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            f.kernel.addDest(StatusFixture.WEB, StatusFixture.dest("198.18.1.9", 8080), 4);
            f.ipvs.get().reconcileNow();
            StatusSnapshot s = f.assembler().snapshot();
            List<StatusSnapshot.RealServerStatus> reals = s.virtualServers().get(0).realServers();
            assertEquals(4, reals.size());
            StatusSnapshot.RealServerStatus gone = reals.get(3);
            assertEquals("198.18.1.9:8080", gone.address());
            assertEquals("removed", gone.health());
            assertNull(gone.configuredWeight());
            assertEquals(0, gone.kernelWeight());
            assertEquals(4, gone.activeConnections());

            PrometheusText p = PrometheusText.parse(new String(new StatusMetrics(f.assembler()::snapshot)
                    .scrape("text/plain").body(), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(0, p.value("vipkeeper_real_server_weight", "vs", "web", "rs", "198.18.1.9:8080"));
            assertEquals(4, p.value("vipkeeper_ipvs_active_connections", "vs", "web", "rs", "198.18.1.9:8080"));
            assertFalse(p.samples.stream().anyMatch(x -> x.name().equals("vipkeeper_real_server_up")
                    && x.labels().get("rs").equals("198.18.1.9:8080")), "no up series for a removed server");
        }
    }

    @Test
    void withoutDataPlaneManagerNothingIsInTheKernel() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            f.ipvs.get().close();
            f.ipvs = Optional.empty();
            StatusSnapshot s = f.assembler().snapshot();
            assertNull(s.ipvs());
            assertFalse(s.virtualServers().get(0).inKernel());
            assertNull(s.virtualServers().get(0).realServers().get(0).kernelWeight());
        }
    }

    @Test
    void aPeerConfiguredDifferentlyIsListedWithItsLastDrop() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            f.v2AdvertFrom("web", "198.18.0.2");
            f.vrrpClock.advance(java.time.Duration.ofMillis(500));
            f.v2AdvertFrom("web", "198.18.0.2");
            f.vrrpClock.advance(java.time.Duration.ofMillis(250));
            StatusSnapshot.Instance web = f.assembler().snapshot().vrrpInstances().get(0);
            // The wall clock reads start + 60 s at VRRP time 4.25 s; the last drop was at 4.0 s.
            assertEquals(List.of(new StatusSnapshot.Mismatch("198.18.0.2", "version",
                    "VRRPv2 advert, this router speaks VRRPv3", 2, "2026-11-23T10:00:59.750Z", true)), web.mismatches());
            assertEquals(2, web.drops().get("version"));
            assertEquals(List.of(), f.assembler().snapshot().vrrpInstances().get(1).mismatches());
        }
    }

    @Test
    void jsonRoundTrip() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            f.lastReload = Optional.of(new ReloadResult(StatusFixture.STARTED, true, List.of(), "web: priority 150 -> 160"));
            f.v2AdvertFrom("web", "198.18.0.2");
            StatusSnapshot s = f.assembler().snapshot();
            String json = StatusJson.write(s);
            assertEquals(s, StatusJson.read(json));
            assertTrue(json.contains("\"kernelWeight\" : null"), json);
            assertTrue(json.contains("\"state\" : \"MASTER\""), json);
            assertTrue(json.contains("\"mismatches\" : [ {"), json);
            assertTrue(json.contains("\"lastSeen\" : \"2026-11-23T10:01:00.000Z\""), json);
        }
    }

    @Test
    void statusOfADaemonWithoutMismatchesReadsAsNone() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            String json = StatusJson.write(f.assembler().snapshot());
            String older = json.replaceAll(",\\s*\"mismatches\" : \\[ \\]", "");
            assertFalse(older.contains("mismatches"), older);
            assertEquals(List.of(), StatusJson.read(older).vrrpInstances().get(0).mismatches());
        }
    }
}
