package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.events.Event;
import io.vipkeeper.appliance.events.EventJson;
import io.vipkeeper.appliance.events.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code vipkeeper events} for real: two daemon jars in namespaces (VRRP pair, a health-checked
 * virtual server on nftables), and {@code vipkeeper events} run as processes against the backup's
 * control socket. They must print, as they happen, a health change, a drain, a reload and the
 * failover once the master is killed; stop with 0 on SIGTERM and with 1 when the daemon goes or
 * is not there.
 */
class EventsIT {
    private static final String SUBNET = "198.18.249";
    private static final String VIP = SUBNET + ".100";
    private static final String WEB1 = SUBNET + ".11:80";
    private static final String WEB2 = SUBNET + ".12:80";
    private static final String TIME = "\\d{2}:\\d{2}:\\d{2}\\.\\d{3}";
    private Lab lab;
    private Path dir;

    @BeforeEach
    void build() throws Exception {
        lab = Lab.create(SUBNET);
        try {
            dir = Files.createTempDirectory("vk-events");
            lab.node("lb1", 1);
            lab.node("lb2", 2);
            WebBackends.add(lab, dir, 2, 80);
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private Path config(String node, int priority) throws Exception {
        Path f = dir.resolve(node + ".conf");
        Files.writeString(f, """
                vipkeeper {
                  node-name = %s
                  data-plane = nftables
                  api.listen = ""
                  vrrp.instances.vi {
                    interface = eth0
                    virtual-router-id = 49
                    priority = %d
                    advert-interval = 100ms
                    virtual-ips = ["%s/24"]
                  }
                  ipvs {
                    reconcile-interval = 1s
                    virtual-servers.web {
                      address = "%s"
                      port = 80
                      scheduler = rr
                      health-check { type = tcp, interval = 200ms, timeout = 100ms, rise = 1, fall = 2 }
                      real-servers = [{ address = "%s.11" }, { address = "%s.12" }]
                    }
                  }
                }
                """.formatted(node, priority, VIP, VIP, SUBNET, SUBNET));
        return f;
    }

    private Path pidFile(String node) {
        return dir.resolve(node).resolve("vipkeeper.pid");
    }

    private JarProcess start(String node, int priority) throws Exception {
        return lab.own(JarProcess.startIn(lab.ns(node), dir, "run", "-f", config(node, priority).toString(),
                "--pid-file", pidFile(node).toString(), "--state-dir", dir.resolve(node).resolve("state").toString()));
    }

    private JarProcess events(String node, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("events", "--pid-file", pidFile(node).toString()));
        args.addAll(List.of(more));
        return lab.own(JarProcess.start(dir, args.toArray(String[]::new)));
    }

    @Test
    void eventsShowHealthADrainAReloadAndTheFailoverAsTheyHappen() throws Exception {
        JarProcess lb1 = start("lb1", 150);
        JarProcess lb2 = start("lb2", 100);
        lb1.awaitLog("vi: BACKUP -> MASTER");
        lb2.awaitLog("vi: INITIALIZE -> BACKUP");
        lb2.awaitLog("control socket on ");
        JarProcess words = events("lb2");
        JarProcess json = events("lb2", "--json");
        words.awaitLog("following");
        json.awaitLog("following");

        Lab.sh("ip", "-n", lab.ns("web2"), "link", "set", "eth0", "down");
        words.awaitOut("web " + WEB2 + ": down");

        try (JarProcess drain = JarProcess.start(dir, "backend", "drain", "web", WEB1, "--pid-file",
                pidFile("lb2").toString())) {
            assertEquals(0, drain.waitFor(), drain.err());
        }
        words.awaitOut("web " + WEB1 + ": drain by uid 0 (root): enabled -> drained, weight 0");

        config("lb2", 110);
        lb2.signal("HUP");
        words.awaitOut("reload succeeded: vi: priority 100 -> 110");

        lb1.signal("KILL");
        words.awaitOut("vi: BACKUP -> MASTER (master down)");

        // Every line in words starts with the time to the millisecond; the JSON lines are the same events.
        for (String line : words.out().strip().split("\n")) {
            assertTrue(line.matches(TIME + " .+"), line);
        }
        json.awaitOut("\"to\":\"MASTER\"");
        List<Event> seen = json.out().strip().lines().map(EventJson::read).flatMap(Optional::stream).toList();
        assertEquals(List.of(EventType.HEALTH, EventType.ADMIN, EventType.RELOAD, EventType.VRRP),
                seen.stream().map(Event::type).filter(t -> t != EventType.DATA_PLANE).distinct().toList(), json.out());
        assertTrue(json.out().lines().allMatch(l -> l.matches("\\{\"type\":\"\\w+\",\"time\":\"\\d{4}-\\d{2}-\\d{2}T"
                + TIME + "Z\",.*")), json.out());

        words.signal("TERM");
        assertEquals(0, words.waitFor(), "SIGTERM stops it quietly: " + words.err());

        lb2.signal("TERM");
        assertEquals(0, lb2.waitFor(), lb2.err());
        assertEquals(1, json.waitFor(), "the daemon going ends the stream: " + json.err());
        assertTrue(json.out().contains("\"state\":\"stopping\""), "it said it was stopping: " + json.out());
        assertTrue(json.err().contains("the daemon ended the stream"), json.err());

        JarProcess none = events("lb2");
        assertEquals(1, none.waitFor());
        assertTrue(none.err().contains("is vipkeeper running?"), none.err());
    }
}
