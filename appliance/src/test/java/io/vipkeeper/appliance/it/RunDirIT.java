package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.api.StatusJson;
import io.vipkeeper.appliance.api.StatusSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two `vipkeeper run` processes on one host, each in its own network namespace with its own
 * {@code --run-dir}, and the CLI as real processes from the host's namespace: each command given a
 * run directory reaches that daemon and no other, with no config file and no pid file, and
 * `vipkeeper reload` goes over the control socket: a good edit answers with the changes in words, a
 * broken file with FILE:LINE and exit 1 and no change, a non-root caller is refused, two reloads at
 * once both run (one after the other), and a daemon whose socket is gone still gets SIGHUP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunDirIT {
    private static final String SUBNET = "198.18.251";
    private static final List<String> NOBODY = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");

    private static Lab lab;
    private static Path dir;
    private static final List<JarProcess> daemons = new ArrayList<>();

    /** lb1's config at {@code priority}, the priority on line 6; the TCP API is off (the socket is all there is). */
    private static String config(String node, int vrid, int priority) {
        return """
                vipkeeper {
                  node-name = %s
                  api.listen = ""
                  vrrp.instances.vi_%d {
                    interface = eth0
                    priority = %d
                    virtual-router-id = %d
                    advert-interval = 100ms
                    virtual-ips = ["%s.%d/24"]
                  }
                }
                """.formatted(node, vrid, priority, vrid, SUBNET, 100 + vrid);
    }

    private static Path conf(String node) {
        return dir.resolve(node + ".conf");
    }

    private static Path runDir(String node) {
        return dir.resolve("run-" + node);
    }

    @BeforeAll
    static void start() throws Exception {
        lab = Lab.create(SUBNET);
        try {
            dir = Files.createTempDirectory("vk-rundir");
            // nobody must reach the control sockets in here, as it reaches /run/vipkeeper.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            int vrid = 61;
            for (String node : List.of("lb1", "lb2")) {
                lab.node(node, vrid - 60);
                Files.writeString(conf(node), config(node, vrid, 150));
                JarProcess p = lab.own(JarProcess.startIn(lab.ns(node), dir, "run", "-f", conf(node).toString(),
                        "--run-dir", runDir(node).toString(), "--state-dir", dir.resolve("state-" + node).toString()));
                daemons.add(p);
                vrid++;
            }
            for (JarProcess p : daemons) {
                p.awaitLog("control socket on ");
            }
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        for (JarProcess p : daemons) {
            p.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    /** A finished CLI run. */
    private record Cli(int exit, String out, String err) {
    }

    private static Cli cli(List<String> wrapper, String... args) throws Exception {
        try (JarProcess p = JarProcess.startInVia(null, wrapper, dir, args)) {
            int exit = p.waitFor();
            return new Cli(exit, p.out(), p.err());
        }
    }

    private static Cli cli(String... args) throws Exception {
        return cli(List.of(), args);
    }

    private static StatusSnapshot status(String node) throws Exception {
        Cli c = cli("status", "--json", "--run-dir", runDir(node).toString());
        assertEquals(0, c.exit(), c.err());
        return StatusJson.read(c.out());
    }

    @Test
    @Order(1)
    void eachCommandReachesTheDaemonOfItsRunDirectory() throws Exception {
        for (String node : List.of("lb1", "lb2")) {
            try (var files = Files.list(runDir(node))) {
                List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
                assertEquals(List.of("control.sock", "vipkeeper.pid", "vipkeeper.reload"), names);
            }
            StatusSnapshot s = status(node);
            assertEquals(node, s.node());
            assertEquals(conf(node).toString(), s.configFile());
            // The short way (the daemon renders the table) prints what the whole way (-f: the
            // command line model, the JSON read and rendered here) prints; counters may move between.
            Cli quick = cli("status", "--run-dir", runDir(node).toString());
            Cli whole = cli("status", "--run-dir", runDir(node).toString(), "-f", conf(node).toString());
            assertEquals(0, quick.exit(), quick.err());
            assertEquals(0, whole.exit(), whole.err());
            assertTrue(quick.out().startsWith(node + ": vipkeeper "), quick.out());
            assertEquals(whole.out().replaceAll("[0-9]+", "N"), quick.out().replaceAll("[0-9]+", "N"));
        }
        Cli none = cli("status", "--run-dir", dir.resolve("run-none").toString());
        assertEquals(1, none.exit(), none.out());
        assertTrue(none.err().contains("cannot reach the daemon at " + dir.resolve("run-none/control.sock")), none.err());
    }

    @Test
    @Order(2)
    void reloadOverTheSocketAnswersInWordsAndReloadsOnlyThatDaemon() throws Exception {
        Files.writeString(conf("lb1"), config("lb1", 61, 160));
        // Neither the config nor the pid file is needed: a pid file that is not there changes nothing.
        long t0 = System.nanoTime();
        Cli c = cli("reload", "--run-dir", runDir("lb1").toString(), "--pid-file", dir.resolve("nowhere.pid").toString());
        System.out.printf("reload over the control socket: %.0f ms wall-clock (CLI process included)%n",
                (System.nanoTime() - t0) / 1e6);
        assertEquals(0, c.exit(), c.out() + c.err());
        assertEquals("reloaded: vi_61: priority 150 -> 160 (VRRP: vi_61 retuned)\n", c.out());
        daemons.get(0).awaitLog("reload asked by uid 0 (root)");
        assertEquals(160, status("lb1").vrrpInstances().get(0).configuredPriority());
        assertEquals(1, status("lb1").reloads().ok());
        assertEquals(0, status("lb2").reloads().ok(), "the other daemon reloaded nothing");
    }

    @Test
    @Order(3)
    void aBrokenFileIsReportedAsFileLineAndChangesNothing() throws Exception {
        Files.writeString(conf("lb1"), config("lb1", 61, 170).replace("priority = 170", "priority = loud"));
        Cli c = cli("reload", "--run-dir", runDir("lb1").toString());
        assertEquals(1, c.exit(), c.out() + c.err());
        assertTrue(c.err().contains(conf("lb1") + ":6: "), c.err());
        assertTrue(c.err().contains("reload failed: " + conf("lb1") + " has 1 problem(s); still running the previous config"),
                c.err());
        StatusSnapshot s = status("lb1");
        assertEquals(160, s.vrrpInstances().get(0).configuredPriority());
        assertEquals(1, s.reloads().failed());
        assertTrue(daemons.get(0).isAlive());
    }

    @Test
    @Order(4)
    void aNonRootCallerIsRefusedAndNothingReloads() throws Exception {
        Files.writeString(conf("lb1"), config("lb1", 61, 170));
        StatusSnapshot before = status("lb1");
        Cli c = cli(NOBODY, "reload", "--run-dir", runDir("lb1").toString());
        assertEquals(1, c.exit(), c.out() + c.err());
        assertEquals("vipkeeper reload: uid 65534 (nobody) may not change runtime state: only root may"
                + " (api.control-group is not set)\n", c.err());
        daemons.get(0).awaitLog("reload refused for uid 65534 (nobody)");
        StatusSnapshot after = status("lb1");
        assertEquals(before.reloads(), after.reloads());
        assertEquals(160, after.vrrpInstances().get(0).configuredPriority());
        // Reading stays open to local users.
        Cli read = cli(NOBODY, "status", "--run-dir", runDir("lb1").toString());
        assertEquals(0, read.exit(), read.err());
    }

    @Test
    @Order(5)
    void twoReloadsAtOnceBothRunOneAfterTheOther() throws Exception {
        long ok = status("lb1").reloads().ok();
        List<JarProcess> both = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                both.add(JarProcess.start(dir, "reload", "--run-dir", runDir("lb1").toString()));
            }
            List<String> outs = new ArrayList<>();
            for (JarProcess p : both) {
                assertEquals(0, p.waitFor(), p.err());
                outs.add(p.out());
            }
            // One applied the edit of the previous test; the other, after it, found nothing more to do.
            assertTrue(outs.contains("reloaded: vi_61: priority 160 -> 170 (VRRP: vi_61 retuned)\n"), outs.toString());
        } finally {
            both.forEach(JarProcess::close);
        }
        assertEquals(ok + 2, status("lb1").reloads().ok());
    }

    @Test
    @Order(6)
    void withoutItsSocketADaemonStillGetsSighupByItsPidFile() throws Exception {
        Files.delete(runDir("lb2").resolve("control.sock"));
        Files.writeString(conf("lb2"), config("lb2", 62, 140));
        long t0 = System.nanoTime();
        Cli c = cli("reload", "--run-dir", runDir("lb2").toString());
        System.out.printf("reload by SIGHUP and the result file: %.0f ms wall-clock (CLI process included)%n",
                (System.nanoTime() - t0) / 1e6);
        assertEquals(0, c.exit(), c.out() + c.err());
        assertEquals("reloaded: vi_62: priority 150 -> 140 (VRRP: vi_62 retuned)\n", c.out());
        daemons.get(1).awaitLog("reload asked by SIGHUP");
        assertFalse(Files.exists(runDir("lb2").resolve("control.sock")));
    }

    /** With api.socket-read = control-group, local users but root and the group are refused reads too. */
    @Test
    @Order(7)
    void socketReadControlGroupKeepsOtherLocalUsersOutAndAReloadOpensItAgain() throws Exception {
        String open = config("lb1", 61, 170);
        Files.writeString(conf("lb1"), open.replace("  api.listen = \"\"\n", "  api.listen = \"\"\n  api.socket-read = control-group\n"));
        Cli reload = cli("reload", "--run-dir", runDir("lb1").toString());
        assertEquals(0, reload.exit(), reload.out() + reload.err());
        Cli refused = cli(NOBODY, "status", "--run-dir", runDir("lb1").toString());
        assertEquals(1, refused.exit(), refused.out());
        assertTrue(refused.err().contains("uid 65534 (nobody) may not read the control socket: api.socket-read = control-group"),
                refused.err());
        assertEquals("lb1", status("lb1").node(), "root still reads");
        Files.writeString(conf("lb1"), open);
        reload = cli("reload", "--run-dir", runDir("lb1").toString());
        assertEquals(0, reload.exit(), reload.out() + reload.err());
        Cli read = cli(NOBODY, "status", "--run-dir", runDir("lb1").toString());
        assertEquals(0, read.exit(), read.err());
    }
}
