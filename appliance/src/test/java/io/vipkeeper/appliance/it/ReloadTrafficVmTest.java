package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import io.vipkeeper.appliance.vm.VmSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Hitless reloads in the real-IPVS kernel: one load balancer (VRRP master of the VIP, NAT with
 * SNAT to two web backends) and a client that sends HTTP requests through the VIP the whole time
 * and records every failure. Each step edits the config and reloads; the client must see no
 * failure, VRRP no transition, and the kernel exactly the edit. A broken file is refused and
 * changes nothing; a removed backend keeps serving its open connection while it drains.
 */
@Tag(VmSuite.TAG)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReloadTrafficVmTest {
    private static final String VIP = "198.18.1.100";
    private static Lab lab;
    private static Path dir;
    private static Path conf;
    private static Path pidFile;
    private static ClientLoop client;
    private static JarProcess lb;

    private static String config(int priority, String web2Weight, boolean web1, String extraService) {
        return """
                vipkeeper {
                  api.listen = ""
                  vrrp.instances.vi {
                    interface = eth0
                    virtual-router-id = 61
                    priority = %d
                    advert-interval = 1s
                    virtual-ips = ["%s/24"]
                  }
                  ipvs {
                    reconcile-interval = 1s
                    drain-timeout = 2m
                    virtual-servers {
                      web {
                        address = "%s"
                        port = 80
                        scheduler = wrr
                        snat = true
                        real-servers = [%s{ address = "198.18.1.12", weight = %s }]
                      }
                %s    }
                  }
                }
                """.formatted(priority, VIP, VIP, web1 ? "{ address = \"198.18.1.11\" }, " : "", web2Weight,
                extraService);
    }

    private static final String ALT = """
                  alt {
                    address = "%s"
                    port = 8080
                    scheduler = rr
                    snat = true
                    real-servers = [{ address = "198.18.1.11" }]
                  }
            """.formatted(VIP);

    @BeforeAll
    static void build() throws Exception {
        lab = Lab.create();
        dir = Files.createTempDirectory("vk-reload");
        lab.node("lb", 1);
        lab.node("client", 50);
        WebBackends.add(lab, dir, 2, 80, 8080);
        conf = dir.resolve("vipkeeper.conf");
        pidFile = dir.resolve("run/vipkeeper.pid");
        Files.writeString(conf, config(150, "1", true, ""));
        lb = lab.own(JarProcess.startIn(lab.ns("lb"), dir, "run", "-f", conf.toString(), "--pid-file",
                pidFile.toString()));
        lb.awaitLog("vi: BACKUP -> MASTER");
        client = ClientLoop.start(lab, lab.ns("client"), dir.resolve("traffic.log"), VIP, 80);
        awaitRequests(5);
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    private static AutoCloseable background(String ns, Path out, String... cmd) throws Exception {
        return WebBackends.background(ns, out, cmd);
    }

    /** Waits until the client made {@code n} more requests; none of all so far may have failed. */
    private static void awaitRequests(int n) throws Exception {
        client.awaitRequests(n, lb, lab.ns("lb"));
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    private static void reload(String text) throws Exception {
        int before = count(lb.err(), "reload succeeded");
        Files.writeString(conf, text);
        lb.signal("HUP");
        Lab.await(60, "reload", () -> {
            try {
                return count(lb.err(), "reload succeeded") > before;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String ipvsadm(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns("lb"), "ipvsadm"));
        cmd.addAll(List.of(args));
        return Shell.run(cmd.toArray(String[]::new));
    }

    private static void assertNoTransitionSinceStart() throws Exception {
        assertEquals(1, count(lb.err(), " -> MASTER"), lb.err());
        assertEquals(0, count(lb.err(), "MASTER -> "), lb.err());
    }

    @Test
    @Order(1)
    void aWeightChangeTouchesOnlyThatRealServer() throws Exception {
        reload(config(150, "3", true, ""));
        assertTrue(lb.err().contains("ipvs reload: edit real server 198.18.1.12:80"), lb.err());
        assertTrue(ipvsadm("-Ln").matches("(?s).*198\\.18\\.1\\.12:80\\s+Masq\\s+3\\s.*"), ipvsadm("-Ln"));
        awaitRequests(5);
        assertNoTransitionSinceStart();
    }

    @Test
    @Order(2)
    void anAddedVirtualServerServesAtOnce() throws Exception {
        reload(config(150, "3", true, ALT));
        Shell.Result r = Shell.tryRun("ip", "netns", "exec", lab.ns("client"), "sh", "-c",
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 5 " + VIP + " 8080");
        assertTrue(r.output().contains("web1"), r.output());
        awaitRequests(5);
        assertNoTransitionSinceStart();
    }

    @Test
    @Order(3)
    void aPriorityChangeKeepsTheMasterAndTheVip() throws Exception {
        reload(config(120, "3", true, ALT));
        lb.awaitLog("vi: effective priority 150 -> 120");
        awaitRequests(5);
        assertNoTransitionSinceStart();
        assertTrue(lab.has("lb", VIP));
    }

    @Test
    @Order(4)
    void aBrokenFileIsRefusedAndChangesNothing() throws Exception {
        String table = ipvsadm("-Sn");
        Files.writeString(conf, config(120, "3", true, ALT).replace("scheduler = wrr", "scheduler = wrr\n  sheduler = rr"));
        try (JarProcess reload = JarProcess.start(dir, "reload", "--pid-file", pidFile.toString())) {
            assertEquals(1, reload.waitFor(), reload.err());
            assertTrue(reload.err().contains("unknown key (did you mean scheduler?)"), reload.err());
        }
        assertTrue(lb.isAlive());
        assertEquals(table, ipvsadm("-Sn"));
        awaitRequests(5);
        assertNoTransitionSinceStart();
    }

    @Test
    @Order(5)
    void aRemovedRealServerDrainsItsOpenConnection() throws Exception {
        // An idle connection held open toward web1 alone (its service has one backend: alt on 8080),
        // so the removed server is known; then web1 leaves the alt service and the web service.
        Path held = dir.resolve("held.out");
        Path go = dir.resolve("go");
        lab.own(background(lab.ns("client"), held, "bash", "-c", "exec 3<>/dev/tcp/" + VIP + "/8080;"
                + " echo open; while [ ! -e " + go + " ]; do sleep 0.2; done;"
                + " printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3"));
        Lab.await(30, "the held connection", () -> {
            try {
                return ipvsadm("-Ln", "-t", VIP + ":8080").matches("(?s).*198\\.18\\.1\\.11:8080\\s+Masq\\s+1\\s+1\\s.*");
            } catch (RuntimeException e) {
                return false;
            }
        });
        reload(config(120, "3", false, ALT.replace("{ address = \"198.18.1.11\" }",
                "{ address = \"198.18.1.12\" }")));
        String alt = ipvsadm("-Ln", "-t", VIP + ":8080");
        assertTrue(alt.matches("(?s).*198\\.18\\.1\\.11:8080\\s+Masq\\s+0\\s+1\\s.*"), "draining with its connection\n"
                + alt);
        awaitRequests(10);
        Files.writeString(go, "");
        Lab.await(30, "the answer on the held connection", () -> {
            try {
                return Files.readString(held).contains("web1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Lab.await(30, "the drained server deleted", () -> !ipvsadm("-Ln", "-t", VIP + ":8080").contains("198.18.1.11"));
        assertNoTransitionSinceStart();
    }
}
