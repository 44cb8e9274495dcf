package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.Version;
import io.vipkeeper.appliance.api.ReloadResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metric names, types, labels and values, read back through a strict parse of the text format. */
class StatusMetricsTest {
    @TempDir
    Path dir;

    private static PrometheusText scrape(StatusMetrics m) {
        StatusMetrics.Exposition e = m.scrape("text/plain");
        assertTrue(e.contentType().startsWith("text/plain; version=0.0.4"), e.contentType());
        return PrometheusText.parse(new String(e.body(), StandardCharsets.UTF_8));
    }

    @Test
    void vrrp() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            PrometheusText p = scrape(new StatusMetrics(f.assembler()::snapshot));
            assertEquals("gauge", p.types.get("vipkeeper_vrrp_state"));
            assertEquals(1, p.value("vipkeeper_vrrp_state", "vrrp_instance", "web", "state", "MASTER"));
            assertEquals(0, p.value("vipkeeper_vrrp_state", "vrrp_instance", "web", "state", "BACKUP"));
            assertEquals(1, p.value("vipkeeper_vrrp_state", "vrrp_instance", "db", "state", "BACKUP"));
            assertEquals(1, p.value("vipkeeper_vrrp_state", "vrrp_instance", "mail", "state", "FAULT"));
            assertEquals(12, p.samples.stream().filter(s -> s.name().equals("vipkeeper_vrrp_state")).count(),
                    "one series per state and instance");
            assertEquals(150, p.value("vipkeeper_vrrp_priority", "vrrp_instance", "web", "kind", "configured"));
            assertEquals(150, p.value("vipkeeper_vrrp_priority", "vrrp_instance", "web", "kind", "effective"));
            assertEquals("counter", p.types.get("vipkeeper_vrrp_transitions_total"));
            assertEquals(2, p.value("vipkeeper_vrrp_transitions_total", "vrrp_instance", "web"));
            assertEquals(2, p.value("vipkeeper_vrrp_dropped_packets_total", "vrrp_instance", "db", "reason", "checksum"));
            assertEquals(0, p.value("vipkeeper_vrrp_dropped_packets_total", "vrrp_instance", "db", "reason", "version"));
            assertTrue(p.value("vipkeeper_vrrp_adverts_sent_total", "vrrp_instance", "web") >= 1);
            assertEquals(0, p.value("vipkeeper_vrrp_adverts_received_total", "vrrp_instance", "db"));
        }
    }

    @Test
    void realServersAndIpvs() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            PrometheusText p = scrape(new StatusMetrics(f.assembler()::snapshot));
            String[] rs1 = {"vs", "web", "rs", "198.18.1.1:8080"};
            assertEquals(1, p.value("vipkeeper_real_server_up", rs1));
            assertEquals(0, p.value("vipkeeper_real_server_up", "vs", "web", "rs", "198.18.1.2:8080"));
            assertEquals(1, p.value("vipkeeper_real_server_up", "vs", "web", "rs", "198.18.1.3:8080"), "unchecked");
            assertEquals(1, p.value("vipkeeper_real_server_weight", rs1));
            assertEquals(0, p.value("vipkeeper_real_server_weight", "vs", "web", "rs", "198.18.1.2:8080"));
            assertFalse(p.samples.stream().anyMatch(s -> s.name().equals("vipkeeper_real_server_weight")
                    && s.labels().get("rs").equals("198.18.1.3:8080")), "no weight while not in the kernel");
            assertEquals(120, p.value("vipkeeper_ipvs_connections_total", rs1));
            assertEquals(5000, p.value("vipkeeper_ipvs_packets_total", "vs", "web", "rs", "198.18.1.1:8080", "direction", "in"));
            assertEquals(9e6, p.value("vipkeeper_ipvs_bytes_total", "vs", "web", "rs", "198.18.1.1:8080", "direction", "out"));
            assertEquals(7, p.value("vipkeeper_ipvs_active_connections", rs1));
            assertEquals(3, p.value("vipkeeper_ipvs_inactive_connections", rs1));
            assertFalse(p.samples.stream().anyMatch(s -> s.name().equals("vipkeeper_ipvs_overloaded")),
                    "IPVS does not say whether a real server is overloaded: no sample rather than a 0");
            assertEquals(160, p.value("vipkeeper_ipvs_service_connections_total", "vs", "web"));
            assertEquals(4800, p.value("vipkeeper_ipvs_service_packets_total", "vs", "web", "direction", "out"));
            assertEquals(690_000, p.value("vipkeeper_ipvs_service_bytes_total", "vs", "web", "direction", "in"));
            assertTrue(p.value("vipkeeper_ipvs_reconcile_runs_total") >= 1);
            assertTrue(p.value("vipkeeper_ipvs_reconcile_changes_total") >= 1);
            // This kernel acknowledges changes without making them: every later run repairs again.
            assertEquals(f.ipvs.get().status().repairs(), p.value("vipkeeper_ipvs_reconcile_repairs_total"));
            assertEquals(0, p.value("vipkeeper_ipvs_reconcile_failures_total"));
        }
    }

    @Test
    void bgpVipsAreInStatusTextAndMetrics() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            f.bgp.add(new io.vipkeeper.appliance.bgp.BgpAnnouncer.VipState(StatusFixture.ip("198.18.0.200"), true,
                    "serving virtual server web", StatusFixture.STARTED, 3));
            f.bgp.add(new io.vipkeeper.appliance.bgp.BgpAnnouncer.VipState(StatusFixture.ip("198.18.0.201"), false,
                    "virtual server dns below quorum", StatusFixture.STARTED, 0));
            PrometheusText p = scrape(new StatusMetrics(f.assembler()::snapshot));
            assertEquals(1, p.value("vipkeeper_bgp_announced", "vip", "198.18.0.200"));
            assertEquals(0, p.value("vipkeeper_bgp_announced", "vip", "198.18.0.201"));
            assertEquals(3, p.value("vipkeeper_bgp_changes_total", "vip", "198.18.0.200"));
            String text = StatusTable.format(f.assembler().snapshot());
            assertTrue(text.contains("198.18.0.201  withdrawn  2026-11-23T10:00:00.000Z  0        virtual server dns below quorum"),
                    text);
        }
    }

    @Test
    void eachBackendHasItsOriginAndARuntimeBackendIsListedWithTheFiles() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            io.vipkeeper.appliance.config.RealServer file = f.settings.ipvs().virtualServers().get("web").realServers().get(0);
            f.runtimeBackends.put("web", List.of(new io.vipkeeper.appliance.config.RealServer(StatusFixture.ip("198.18.1.9"),
                    8080, 4, file.forwarding(), file.healthCheck(), 0, 0, file.tunnel())));
            StatusSnapshot.RealServerStatus added = f.assembler().snapshot().virtualServers().get(0).realServers().stream()
                    .filter(rs -> rs.address().equals("198.18.1.9:8080")).findFirst().orElseThrow();
            assertEquals("runtime", added.origin());
            assertEquals(4, added.configuredWeight());
            PrometheusText p = scrape(new StatusMetrics(f.assembler()::snapshot));
            assertEquals(1, p.value("vipkeeper_real_server_runtime_backend", "vs", "web", "rs", "198.18.1.9:8080"));
            assertEquals(0, p.value("vipkeeper_real_server_runtime_backend", "vs", "web", "rs", "198.18.1.1:8080"));
            assertEquals(1, p.value("vipkeeper_real_server_up", "vs", "web", "rs", "198.18.1.9:8080"), "unchecked yet");
        }
    }

    @Test
    void configApiAndBuild() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            StatusMetrics m = new StatusMetrics(f.assembler()::snapshot);
            PrometheusText p = scrape(m);
            assertEquals(0, p.value("vipkeeper_config_reloads_total", "result", "ok"));
            assertEquals(1, p.value("vipkeeper_config_last_reload_success"), "no reload yet counts as success");
            assertEquals(0, p.value("vipkeeper_api_bad_requests_total"));
            assertEquals(0, p.value("vipkeeper_api_connections"));
            // Both series exist before the first refusal, so rate() and alerts see them from the start.
            assertEquals(0, p.value("vipkeeper_api_refused_connections_total", "cap", "total"));
            assertEquals(0, p.value("vipkeeper_api_refused_connections_total", "cap", "per-client"));
            assertEquals(1, p.value("vipkeeper_build_info", "version", Version.get()));

            f.reloadsOk = 3;
            f.reloadsFailed = 1;
            f.lastReload = Optional.of(new ReloadResult(StatusFixture.STARTED, false, List.of("x:1: bad"), "refused"));
            m.badRequest();
            p = scrape(m);
            assertEquals(3, p.value("vipkeeper_config_reloads_total", "result", "ok"));
            assertEquals(1, p.value("vipkeeper_config_reloads_total", "result", "failed"));
            assertEquals(0, p.value("vipkeeper_config_last_reload_success"));
            assertEquals(1, p.value("vipkeeper_api_bad_requests_total"));
        }
    }

    @Test
    void labelNamesStaySmall() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            PrometheusText p = scrape(new StatusMetrics(f.assembler()::snapshot));
            Set<String> labels = p.samples.stream().flatMap(s -> s.labels().keySet().stream()).collect(Collectors.toSet());
            assertEquals(Set.of("vrrp_instance", "state", "kind", "reason", "vs", "rs", "direction", "result", "version",
                    "cap"),
                    labels);
            assertTrue(p.samples.stream().allMatch(s -> s.name().startsWith("vipkeeper_")));
        }
    }

    @Test
    void openMetricsWhenAsked() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            StatusMetrics.Exposition e = new StatusMetrics(f.assembler()::snapshot)
                    .scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertTrue(e.contentType().startsWith("application/openmetrics-text"), e.contentType());
            String body = new String(e.body(), StandardCharsets.UTF_8);
            assertTrue(body.endsWith("# EOF\n"), body);
            // A scraper asking for protobuf gets text: this build has no protobuf writer.
            StatusMetrics.Exposition pb = new StatusMetrics(f.assembler()::snapshot).scrape(
                    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
            assertTrue(pb.contentType().startsWith("text/plain"), pb.contentType());
        }
    }
}
