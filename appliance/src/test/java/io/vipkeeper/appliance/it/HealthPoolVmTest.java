package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import io.vipkeeper.appliance.vm.VmSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Health checks driving the real IPVS table: a load balancer with a NAT+SNAT service over two
 * web backends checked by HTTP, and a sorry server. A backend whose server dies leaves the kernel
 * after its failed checks and traffic keeps flowing to the other; it returns after rise good
 * checks; with both down the sorry server takes the pool; inhibit-on-failure keeps a dead one
 * at weight 0. {@code ipvsadm} is the oracle, the client's requests the proof.
 */
@Tag(VmSuite.TAG)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthPoolVmTest {
    private static final String VIP = "198.18.1.100";
    private static Lab lab;
    private static Path dir;
    private static Path conf;
    private static JarProcess lb;
    private static final Map<String, AutoCloseable> servers = new TreeMap<>();

    private static String config(String extra) {
        return """
                vipkeeper {
                  api.listen = ""
                  ipvs {
                    reconcile-interval = 1s
                    virtual-servers.web {
                      address = "%s"
                      port = 80
                      scheduler = rr
                      snat = true
                      sorry-server = "198.18.1.13:80"
                      %s
                      health-check { type = http, interval = 500ms, timeout = 400ms, rise = 2, fall = 2, http.path = "/" }
                      real-servers = [{ address = "198.18.1.11" }, { address = "198.18.1.12" }]
                    }
                  }
                }
                """.formatted(VIP, extra);
    }

    @BeforeAll
    static void build() throws Exception {
        lab = Lab.create();
        dir = Files.createTempDirectory("vk-health");
        lab.node("lb", 1);
        lab.node("client", 50);
        for (int i = 1; i <= 3; i++) {
            String name = "web" + i;
            lab.node(name, 10 + i);
            Path root = Files.createDirectories(dir.resolve(name));
            Files.writeString(root.resolve("index.html"), (i == 3 ? "sorry" : name) + "\n");
            serve(name);
        }
        Lab.sh("ip", "-n", lab.ns("lb"), "addr", "add", VIP + "/32", "dev", "eth0");
        conf = dir.resolve("vipkeeper.conf");
        Files.writeString(conf, config(""));
        lb = lab.own(JarProcess.startIn(lab.ns("lb"), dir, "run", "-f", conf.toString()));
        lb.awaitLog("change(s) at start");
    }

    @AfterAll
    static void tearDown() throws Exception {
        for (AutoCloseable s : servers.values()) {
            s.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private static void serve(String name) throws Exception {
        servers.put(name, WebBackends.background(lab.ns(name), null, "busybox", "httpd", "-f", "-p", "80", "-h",
                dir.resolve(name).toString()));
    }

    private static void kill(String name) throws Exception {
        servers.remove(name).close();
    }

    private static String ipvsadm() {
        return Shell.run("ip", "netns", "exec", lab.ns("lb"), "ipvsadm", "-Ln", "-t", VIP + ":80");
    }

    private static boolean has(String rs) {
        return ipvsadm().contains(rs + ":80");
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws Exception {
        Lab.await(60, what + "\n" + ipvsadm(), condition);
    }

    private static Map<String, Integer> spread(int requests) {
        Map<String, Integer> hits = new TreeMap<>();
        for (int i = 0; i < requests; i++) {
            Shell.Result r = Shell.tryRun("ip", "netns", "exec", lab.ns("client"), "sh", "-c",
                    "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 3 " + VIP + " 80");
            List<String> lines = r.output().strip().lines().toList();
            assertTrue(r.code() == 0 && !lines.isEmpty() && lines.get(0).contains(" 200 "),
                    "request " + i + " failed: " + r.output());
            hits.merge(lines.get(lines.size() - 1).strip(), 1, Integer::sum);
        }
        return hits;
    }

    @Test
    @Order(1)
    void bothBackendsServe() {
        assertEquals(Map.of("web1", 2, "web2", 2), spread(4));
        assertTrue(!has("198.18.1.13"), "no sorry server while the quorum holds\n" + ipvsadm());
    }

    @Test
    @Order(2)
    void aDeadBackendLeavesTheKernelAndTrafficGoesToTheOther() throws Exception {
        kill("web1");
        await("web1 removed", () -> !has("198.18.1.11"));
        lb.awaitLog("pool web: 198.18.1.11:80 DOWN");
        assertEquals(Map.of("web2", 4), spread(4));
    }

    @Test
    @Order(3)
    void itReturnsAfterRiseGoodChecks() throws Exception {
        serve("web1");
        await("web1 back", () -> has("198.18.1.11"));
        lb.awaitLog("pool web: 198.18.1.11:80 UP");
        assertEquals(Map.of("web1", 2, "web2", 2), spread(4));
    }

    @Test
    @Order(4)
    void withEveryBackendDownTheSorryServerTakesThePool() throws Exception {
        kill("web1");
        kill("web2");
        await("sorry server in", () -> has("198.18.1.13") && !has("198.18.1.11") && !has("198.18.1.12"));
        lb.awaitLog("pool web: lost quorum");
        assertEquals(Map.of("sorry", 3), spread(3));
        serve("web1");
        serve("web2");
        await("real servers back, sorry server out", () -> has("198.18.1.11") && has("198.18.1.12")
                && !has("198.18.1.13"));
        assertEquals(2, spread(4).size());
    }

    @Test
    @Order(5)
    void inhibitOnFailureKeepsADeadBackendAtWeightZero() throws Exception {
        int before = lb.err().split("reload succeeded", -1).length;
        Files.writeString(conf, config("inhibit-on-failure = true"));
        lb.signal("HUP");
        Lab.await(60, "reload", () -> {
            try {
                return lb.err().split("reload succeeded", -1).length > before;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        kill("web2");
        await("web2 at weight 0", () -> ipvsadm().matches("(?s).*198\\.18\\.1\\.12:80\\s+Masq\\s+0\\s.*"));
        assertEquals(Map.of("web1", 3), spread(3));
    }
}
