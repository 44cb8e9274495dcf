package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.api.PrometheusText;
import io.vipkeeper.appliance.api.StatusJson;
import io.vipkeeper.appliance.api.StatusSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The status API of two `vipkeeper run` processes in a lab, read from inside their namespaces the
 * way a monitoring agent on the host would: /status, /metrics and /healthz agree with the election,
 * `vipkeeper status` prints it, a refused and then a good `vipkeeper reload` show up in both
 * documents, and the backup reports MASTER once the master is killed. No ipvs section: the host
 * kernel has no IPVS.
 */
class StatusApiIT extends InLab {
    private static final String INSTANCE = "vi_1";

    @Override
    protected void nodes(Lab newLab) throws Exception {
        newLab.node("lb1", 1);
        newLab.node("lb2", 2);
    }

    /** The node's config; {@code extra} goes right after the priority, on line 8. */
    private Path config(String node, int host, int priority, String extra) throws IOException {
        Path f = dir.resolve(node + ".conf");
        Files.writeString(f, """
                vipkeeper {
                  node-name = %s
                  api.listen = "198.18.1.%d:9180"
                  vrrp.instances.%s {
                    interface = eth0
                    virtual-router-id = 51
                    priority = %d
                    %s
                    advert-interval = 100ms
                    virtual-ips = ["198.18.1.100/24"]
                  }
                }
                """.formatted(node, host, INSTANCE, priority, extra));
        return f;
    }

    private JarProcess run(String node, Path conf) throws IOException {
        return lab.own(JarProcess.startIn(lab.ns(node), dir, "run", "-f", conf.toString(), "--pid-file",
                pidFile(node).toString()));
    }

    private Path pidFile(String node) {
        return dir.resolve(node).resolve("vipkeeper.pid");
    }

    private LabApi api() {
        return new LabApi(lab);
    }

    private LabApi.Answer get(String node, int host, String path) throws IOException, InterruptedException {
        return api().get(node, host, path);
    }

    private StatusSnapshot status(String node, int host) throws Exception {
        return api().status(node, host);
    }

    private PrometheusText metrics(String node, int host) throws Exception {
        return api().metrics(node, host);
    }

    private static StatusSnapshot.Instance instance(StatusSnapshot s) {
        assertEquals(1, s.vrrpInstances().size(), s.toString());
        StatusSnapshot.Instance i = s.vrrpInstances().get(0);
        assertEquals(INSTANCE, i.name());
        return i;
    }

    /** Whether node {@code host}'s /status shows the instance in {@code state}; false while unreachable. */
    private boolean statusShows(String node, int host, String state) {
        try {
            return instance(status(node, host)).state().equals(state);
        } catch (Exception e) {
            return false;
        }
    }

    /** The master address node {@code host}'s /status shows; null while unknown or unreachable. */
    private String masterSeenBy(String node, int host) {
        try {
            return instance(status(node, host)).masterAddress();
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * From {@code node}, sends {@code to} an advert for a VRID nobody serves and a VRRP message too
     * short to decode (issue 15: such drops had no metric).
     */
    private void strangePackets(String node, String to) throws Exception {
        java.util.concurrent.ExecutorService ns = java.util.concurrent.Executors.newSingleThreadExecutor(
                io.vipkeeper.appliance.vm.NamespaceThreads.factory(lab.ns(node), "strange"));
        try {
            ns.submit(() -> {
                java.net.Inet4Address src = (java.net.Inet4Address) java.net.InetAddress.getByName("198.18.1.2");
                java.net.Inet4Address dst = (java.net.Inet4Address) java.net.InetAddress.getByName(to);
                try (var socket = io.vipkeeper.vrrp.linux.RawIpSocket.open(false, 112, "eth0", null)) {
                    byte[] unknown = io.vipkeeper.vrrp.codec.VrrpEncoder.encode(io.vipkeeper.vrrp.protocol
                            .VrrpAdvertisement.v3(99, 100, 100, List.of(java.net.InetAddress.getByName("198.18.1.99"))),
                            src, dst);
                    socket.send(io.vipkeeper.vrrp.protocol.Ipv4Header.wrap(unknown, src, dst, 1, 112), dst);
                    socket.send(io.vipkeeper.vrrp.protocol.Ipv4Header.wrap(new byte[] {0x31, 99, 1, 0}, src, dst, 2,
                            112), dst);
                }
                return null;
            }).get();
        } finally {
            ns.shutdownNow();
        }
    }

    private String reload(String node, int expectedExit) throws Exception {
        try (JarProcess r = JarProcess.start(dir, "reload", "--pid-file", pidFile(node).toString())) {
            assertEquals(expectedExit, r.waitFor(), r.out() + r.err());
            return r.out() + r.err();
        }
    }

    @Test
    void statusMetricsHealthzCliReloadsAndFailover() throws Exception {
        Path conf1 = config("lb1", 1, 150, "");
        JarProcess lb1 = run("lb1", conf1);
        lb1.awaitLog(INSTANCE + ": BACKUP -> MASTER");
        JarProcess lb2 = run("lb2", config("lb2", 2, 100, ""));
        lb2.awaitLog(INSTANCE + ": INITIALIZE -> BACKUP");
        Lab.await(5, "lb2's API reports the master's address",
                () -> "198.18.1.1".equals(masterSeenBy("lb2", 2)));

        StatusSnapshot s1 = status("lb1", 1);
        assertEquals("lb1", s1.node());
        assertEquals(conf1.toString(), s1.configFile());
        assertEquals(null, s1.ipvs(), "no ipvs section, no ipvs status");
        StatusSnapshot.Instance i1 = instance(s1);
        assertEquals("MASTER", i1.state());
        assertEquals("eth0", i1.interfaceName());
        assertEquals(51, i1.vrid());
        assertEquals(150, i1.configuredPriority());
        assertEquals(150, i1.effectivePriority());
        assertEquals("198.18.1.1", i1.masterAddress());
        assertEquals(2, i1.transitions(), "INITIALIZE -> BACKUP -> MASTER");
        assertEquals("BACKUP", i1.lastTransition().from());
        assertEquals("MASTER", i1.lastTransition().to());
        assertEquals("master_down", i1.lastTransition().reason());
        assertEquals(java.util.Map.of(), i1.faults());
        assertTrue(i1.advertsSent() > 0, i1.toString());

        StatusSnapshot.Instance i2 = instance(status("lb2", 2));
        assertEquals("BACKUP", i2.state());
        assertEquals(100, i2.configuredPriority());
        assertEquals(100, i2.effectivePriority());
        assertEquals("198.18.1.1", i2.masterAddress(), "the backup knows the master from its adverts");
        assertEquals(1, i2.transitions());
        assertEquals("startup", i2.lastTransition().reason());
        assertTrue(i2.advertsReceived() > 0, i2.toString());

        PrometheusText m1 = metrics("lb1", 1);
        assertEquals(1, m1.value("vipkeeper_vrrp_state", "vrrp_instance", INSTANCE, "state", "MASTER"));
        assertEquals(0, m1.value("vipkeeper_vrrp_state", "vrrp_instance", INSTANCE, "state", "BACKUP"));
        PrometheusText m2 = metrics("lb2", 2);
        assertEquals(0, m2.value("vipkeeper_vrrp_state", "vrrp_instance", INSTANCE, "state", "MASTER"));
        assertEquals(1, m2.value("vipkeeper_vrrp_state", "vrrp_instance", INSTANCE, "state", "BACKUP"));
        strangePackets("lb2", "198.18.1.1");
        Lab.await(5, "lb1 counts the packets no instance owns", () -> {
            try {
                PrometheusText m = metrics("lb1", 1);
                return m.value("vipkeeper_vrrp_unattributed_drops_total", "reason", "unknown_vrid") == 1
                        && m.value("vipkeeper_vrrp_unattributed_drops_total", "reason", "length") == 1;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(0, metrics("lb1", 1).value("vipkeeper_vrrp_receive_errors_total"));
        assertEquals(1L, status("lb1", 1).vrrpReceive().drops().get("unknownVrid"));
        for (int host : List.of(1, 2)) {
            LabApi.Answer h = get("lb" + host, host, "/healthz");
            assertEquals(200, h.status(), h.body());
            assertEquals("ok\n", h.body());
        }

        try (JarProcess cli = JarProcess.startIn(lab.ns("lb1"), dir, "status", "-f", conf1.toString())) {
            assertEquals(0, cli.waitFor(), cli.err());
            String out = cli.out();
            assertTrue(out.startsWith("lb1: vipkeeper "), out);
            assertTrue(out.matches("(?s).*\nvi_1 +MASTER +eth0 +51 +150 +198\\.18\\.1\\.1 +100ms +2 "
                    + "+BACKUP -> MASTER \\(master_down\\).*"), out);
        }
        try (JarProcess cli = JarProcess.startIn(lab.ns("lb2"), dir, "status", "--json", "-f",
                dir.resolve("lb2.conf").toString())) {
            assertEquals(0, cli.waitFor(), cli.err());
            StatusSnapshot parsed = StatusJson.read(cli.out());
            assertEquals("lb2", parsed.node());
            assertEquals("BACKUP", instance(parsed).state());
        }

        config("lb1", 1, 150, "preempt = maybe");
        String refused = reload("lb1", 1);
        String problem = conf1 + ":8: vipkeeper.vrrp.instances.vi_1.preempt: expected true or false, got \"maybe\"";
        assertTrue(refused.contains(problem), refused);
        // The control socket in the run directory needs no config: it answers while the file is broken.
        Path socket = pidFile("lb1").resolveSibling("control.sock");
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        try (JarProcess cli = JarProcess.startIn(lab.ns("lb1"), dir, "status", "--pid-file", pidFile("lb1").toString())) {
            assertEquals(0, cli.waitFor(), cli.err());
            assertTrue(cli.out().startsWith("lb1: vipkeeper "), cli.out());
            assertTrue(cli.out().contains("vi_1 "), cli.out());
        }
        StatusSnapshot.Reloads failed = status("lb1", 1).reloads();
        assertEquals(0, failed.ok());
        assertEquals(1, failed.failed());
        assertNotNull(failed.last());
        assertEquals(false, failed.last().ok());
        assertEquals(List.of(problem), failed.last().problems());
        m1 = metrics("lb1", 1);
        assertEquals(1, m1.value("vipkeeper_config_reloads_total", "result", "failed"));
        assertEquals(0, m1.value("vipkeeper_config_reloads_total", "result", "ok"));
        assertEquals(0, m1.value("vipkeeper_config_last_reload_success"));
        assertEquals(1, m1.value("vipkeeper_vrrp_state", "vrrp_instance", INSTANCE, "state", "MASTER"),
                "a refused reload changes nothing");

        config("lb1", 1, 160, "");
        String reloaded = reload("lb1", 0);
        assertTrue(reloaded.contains("reloaded: vi_1: priority 150 -> 160 (VRRP: vi_1 retuned)"), reloaded);
        StatusSnapshot afterFix = status("lb1", 1);
        assertEquals(1, afterFix.reloads().ok());
        assertEquals(1, afterFix.reloads().failed());
        assertEquals(true, afterFix.reloads().last().ok());
        assertEquals(List.of(), afterFix.reloads().last().problems());
        assertEquals(160, instance(afterFix).configuredPriority());
        assertEquals(160, instance(afterFix).effectivePriority());
        m1 = metrics("lb1", 1);
        assertEquals(1, m1.value("vipkeeper_config_reloads_total", "result", "ok"));
        assertEquals(1, m1.value("vipkeeper_config_last_reload_success"));
        assertEquals(160, m1.value("vipkeeper_vrrp_priority", "vrrp_instance", INSTANCE, "kind", "configured"));

        lb1.signal("KILL");
        Lab.await(5, "lb1 gone", () -> !lb1.isAlive());
        try (JarProcess cli = JarProcess.start(dir, "status", "--pid-file", pidFile("lb1").toString())) {
            assertEquals(1, cli.waitFor(), cli.out());
            assertTrue(cli.err().startsWith("vipkeeper status: cannot reach the daemon at " + socket + ": "), cli.err());
        }
        Lab.await(5, "lb2's /status shows MASTER after lb1 was killed", () -> statusShows("lb2", 2, "MASTER"));
        StatusSnapshot.Instance took = instance(status("lb2", 2));
        assertEquals("198.18.1.2", took.masterAddress());
        assertEquals(2, took.transitions());
        assertEquals("BACKUP", took.lastTransition().from());
        assertEquals("master_down", took.lastTransition().reason());
        assertEquals(1, metrics("lb2", 2).value("vipkeeper_vrrp_state", "vrrp_instance", INSTANCE, "state", "MASTER"));
        assertEquals(200, get("lb2", 2, "/healthz").status());
        assertTrue(lb2.isAlive());
    }

}
