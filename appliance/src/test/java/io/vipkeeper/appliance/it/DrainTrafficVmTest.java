package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import io.vipkeeper.appliance.vm.VmSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An operator's drain under traffic in the real-IPVS kernel (issue 17): one load balancer (VRRP
 * master of the VIP, NAT with SNAT to two web backends), a client opening a new connection for
 * every request the whole time, and a long connection from a second client held open across the
 * drain. {@code vipkeeper backend drain} over the control socket must leave the drained backend
 * in the kernel at weight 0 with its connection (ipvsadm is the oracle), send every new connection
 * to the other backend, fail no request, and serve the held connection to its end. A reload that
 * takes the backend out of the file meanwhile must leave it in the kernel while that connection
 * lasts and delete it by itself once it closed. {@code vipkeeper events} follows the whole time
 * and must show the order and the reload.
 */
@Tag(VmSuite.TAG)
class DrainTrafficVmTest {
    private static final String VIP = "198.18.1.100";
    private static final String HELD_CLIENT = "198.18.1.51";
    /** The long download's size: at the slow pace (16 KiB/s) it lasts far longer than the drain's steps. */
    private static final int BIG_MB = 16;
    private static final long AWAIT_SECONDS = Long.getLong("vipkeeper.await.seconds", 60);
    private static Lab lab;
    private static Path dir;
    private static Path conf;
    private static Path pidFile;
    private static ClientLoop client;
    private static JarProcess lb;

    private static String config(String realServers) {
        return """
                vipkeeper {
                  api.listen = ""
                  vrrp.instances.vi {
                    interface = eth0
                    virtual-router-id = 62
                    priority = 150
                    advert-interval = 1s
                    virtual-ips = ["%s/24"]
                  }
                  ipvs {
                    reconcile-interval = 1s
                    drain-timeout = 10m
                    virtual-servers.web {
                      address = "%s"
                      port = 80
                      scheduler = rr
                      snat = true
                      real-servers = [%s]
                    }
                  }
                }
                """.formatted(VIP, VIP, realServers);
    }

    private static String servers(String... addresses) {
        return String.join(", ", java.util.Arrays.stream(addresses).map(a -> "{ address = \"" + a + "\" }").toList());
    }

    @BeforeAll
    static void build() throws Exception {
        lab = Lab.create();
        dir = Files.createTempDirectory("vk-drain");
        lab.node("lb", 1);
        lab.node("client", 50);
        lab.node("held", 51);
        WebBackends.add(lab, dir, 2, 80);
        conf = dir.resolve("vipkeeper.conf");
        pidFile = dir.resolve("run/vipkeeper.pid");
        Files.writeString(conf, config(servers("198.18.1.11", "198.18.1.12")));
        lb = lab.own(JarProcess.startIn(lab.ns("lb"), dir, "run", "-f", conf.toString(), "--pid-file",
                pidFile.toString(), "--state-dir", dir.resolve("state").toString()));
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

    /** Waits until the client made {@code n} more requests; none of all so far may have failed. */
    private static void awaitRequests(int n) throws Exception {
        client.awaitRequests(n, lb, lab.ns("lb"));
    }

    private static String ipvsadm(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns("lb"), "ipvsadm"));
        cmd.addAll(List.of(args));
        return Shell.run(cmd.toArray(String[]::new));
    }

    /** The real server line of {@code backend} in the web service: forward, weight, active, inactive; null without one. */
    private static String[] row(String backend) {
        for (String line : ipvsadm("-Ln", "-t", VIP + ":80").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[0].equals("->") && f[1].equals(backend + ":80")) {
                return new String[] {f[2], f[3], f[4], f[5]};
            }
        }
        return null;
    }

    @Test
    void aDrainUnderTrafficFailsNoRequestAndServesTheLongConnectionToItsEnd() throws Exception {
        JarProcess events = lab.own(JarProcess.start(dir, "events", "--pid-file", pidFile.toString()));
        events.awaitLog("following");
        // The long connection: a large download read slowly across the drain (an idle one would be
        // closed by busybox httpd after a minute, shorter than a drain takes under TCG), then at full speed.
        for (String web : List.of("web1", "web2")) {
            try (var out = Files.newOutputStream(dir.resolve(web).resolve("big"))) {
                byte[] mb = new byte[1 << 20];
                for (int i = 0; i < BIG_MB; i++) {
                    out.write(mb);
                }
            }
        }
        Path held = dir.resolve("held.out");
        Path go = dir.resolve("go");
        lab.own(WebBackends.background(lab.ns("held"), held, "bash", "-c", "exec 3<>/dev/tcp/" + VIP + "/80;"
                + " printf 'GET /big HTTP/1.0\\r\\n\\r\\n' >&3;"
                + " while [ ! -e " + go + " ]; do dd bs=16k count=1 <&3 2>/dev/null; sleep 1; done; cat <&3"));
        Pattern heldEntry = Pattern.compile("ESTABLISHED\\s+" + Pattern.quote(HELD_CLIENT) + ":\\d+\\s+"
                + Pattern.quote(VIP) + ":80\\s+(198\\.18\\.1\\.1[12]):80");
        String[] drained = new String[1];
        Lab.await(30, "the held connection in the kernel's table", () -> {
            Matcher m = heldEntry.matcher(ipvsadm("-Lnc"));
            drained[0] = m.find() ? m.group(1) : null;
            return drained[0] != null;
        });
        String backend = drained[0];
        String other = backend.equals("198.18.1.11") ? "198.18.1.12" : "198.18.1.11";
        String otherName = other.equals("198.18.1.11") ? "web1" : "web2";

        try (JarProcess drain = JarProcess.start(dir, "backend", "drain", "web", backend + ":80", "--pid-file",
                pidFile.toString())) {
            // A JVM starting under TCG beside the client loop may take longer than waitFor's minute.
            Lab.await(AWAIT_SECONDS, "vipkeeper backend drain to exit", () -> !drain.isAlive());
            assertEquals(0, drain.exitValueNow(), drain.err() + "\nlb log:\n" + lb.err() + "\nevents:\n" + events.out());
        }
        String[] r = row(backend);
        assertTrue(r != null && r[1].equals("0") && r[2].equals("1"), "drained: weight 0, its connection active\n"
                + ipvsadm("-Ln"));
        awaitRequests(10);
        for (int i = 0; i < 4; i++) {
            String body = WebBackends.get(lab.ns("client"), null, VIP, 80);
            assertEquals(otherName, body == null ? null : body.strip(), "a new connection after the drain");
        }
        events.awaitOut("web " + backend + ":80: drain by");

        awaitRequests(5);

        // Out of the file while the held connection goes on: the reconciler keeps it at weight 0
        // until that connection ends (drain-timeout 10m), then deletes it by itself.
        lb.reload(conf, config(servers(other)));
        awaitRequests(5);
        r = row(backend);
        assertTrue(r != null && r[1].equals("0") && r[2].equals("1"), "removed from the file, still serving its"
                + " connection\n" + ipvsadm("-Ln") + "\nlb log:\n" + lb.err());
        events.awaitOut("reload succeeded");

        // The held connection is still served, to its end.
        Files.writeString(go, "");
        Lab.await(AWAIT_SECONDS, "the whole download on the held connection", () -> {
            try {
                return Files.size(held) >= (long) BIG_MB << 20;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String status;
        try (var in = Files.newInputStream(held)) {
            status = new String(in.readNBytes(16), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        assertTrue(status.matches("(?s)HTTP/1\\.[01] 200 .*"), "the download's answer: " + status);
        Lab.await(AWAIT_SECONDS, "the drained backend deleted once its last connection closed", () -> row(backend) == null);
        awaitRequests(5);
        assertTrue(events.isAlive(), "vipkeeper events still follows");
    }
}
