package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import io.vipkeeper.appliance.vm.VmSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * IPVS builds an mh table from the destination list in list order and adds a destination at the
 * list's head; vipkeeper keeps the list in canonical order (address, then port). Two mh services
 * with the same real servers written in different orders get the same list; one of them loses a
 * real server (deleted by hand: the kernel's history differs) and vipkeeper adds it back, adding
 * again the real servers before it in canonical order, so both end with the same list once more.
 * Established TCP connections, also to the real servers added again for the order, keep working:
 * IPVS revives a re-added destination from its trash with its connections. Real kernel, DR
 * backends with the VIP on lo, {@code ipvsadm -Ln --nosort} as the oracle (plain {@code -Ln} sorts).
 * The daemon runs bgp mode (the VIP is a bgp VIP, as on an ECMP director), so it also shows that a
 * daemon starting in bgp mode raises sloppy_tcp and sloppy_sctp (IpvsBgpSloppyVmTest has the rest).
 */
@Tag(VmSuite.TAG)
class IpvsMhOrderVmTest {
    private static final String SUBNET = "198.19.82";
    private static final String VIP = SUBNET + ".100";
    private static final List<String> CANONICAL = List.of(SUBNET + ".11", SUBNET + ".12", SUBNET + ".13");

    private static String config() {
        // The same real servers in two different orders; mh-port spreads one client's connections.
        return """
                vipkeeper {
                  data-plane = ipvs
                  api.listen = ""
                  bgp { vips = ["%1$s"], withdraw-wait = 0s }
                  ipvs {
                    reconcile-interval = 500ms
                    virtual-server-defaults { scheduler = mh, forwarding = dr, health-check.type = none }
                    virtual-servers.a {
                      address = "%1$s", port = 80, scheduler-flags = [mh-port]
                      real-servers = [{ address = "%2$s.13" }, { address = "%2$s.11" }, { address = "%2$s.12" }]
                    }
                    virtual-servers.b {
                      address = "%1$s", port = 81
                      real-servers = [{ address = "%2$s.12" }, { address = "%2$s.13" }, { address = "%2$s.11" }]
                    }
                  }
                }
                """.formatted(VIP, SUBNET);
    }

    @Test
    void directorsWithDifferentHistoriesKeepOneOrderAndConnectionsSurviveTheReorder() throws Exception {
        try (Lab lab = Lab.create(SUBNET)) {
            Path dir = Files.createTempDirectory("vk-mhorder");
            lab.node("lb", 1);
            lab.node("client", 50);
            Lab.sh("ip", "-n", lab.ns("lb"), "addr", "add", VIP + "/32", "dev", "lo");
            for (int host = 11; host <= 13; host++) {
                String ns = lab.node("web" + host, host);
                Lab.sh("ip", "-n", ns, "addr", "add", VIP + "/32", "dev", "lo");
                Lab.sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1",
                        "net.ipv4.conf.all.arp_announce=2");
                Process echo = new ProcessBuilder("ip", "netns", "exec", ns, "busybox", "nc", "-ll", "-p", "80", "-e",
                        "/bin/cat").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                lab.own(echo::destroyForcibly);
            }
            Path conf = dir.resolve("vipkeeper.conf");
            Files.writeString(conf, config());
            JarProcess lb = lab.own(JarProcess.startIn(lab.ns("lb"), dir, "run", "-f", conf.toString()));
            lb.awaitLog("change(s) at start");
            assertEquals(CANONICAL, order(lab, 80), "config order .13 .11 .12, canonical in the kernel\n" + lb.err());
            assertEquals(CANONICAL, order(lab, 81), "config order .12 .13 .11, canonical in the kernel\n" + lb.err());
            assertEquals("1", IpvsBgpSloppyVmTest.sloppy(lab, "tcp"), "bgp mode on IPVS at start\n" + lb.err());
            assertEquals("1", IpvsBgpSloppyVmTest.sloppy(lab, "sctp"), lb.err());

            // Long-lived connections until one is on a real server that sorts before .13.
            Path go = dir.resolve("go");
            List<Path> clients = new ArrayList<>();
            Set<String> on = new TreeSet<>();
            while (clients.size() < 12 && (clients.size() < 4 || !(on.contains(CANONICAL.get(0))
                    || on.contains(CANONICAL.get(1))))) {
                Path out = dir.resolve("client" + clients.size() + ".out");
                String script = "exec 3<>/dev/tcp/" + VIP + "/80; echo one >&3; read -r a <&3; echo \"got $a\";"
                        + " while [ ! -e " + go + " ]; do sleep 0.2; done;"
                        + " echo two >&3; if read -t 20 -r b <&3; then echo \"got $b\"; else echo lost; fi";
                Process client = new ProcessBuilder("ip", "netns", "exec", lab.ns("client"), "bash", "-c", script)
                        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
                lab.own(client::destroyForcibly);
                Lab.await(60, "the first echo of " + out.getFileName(), () -> read(out).contains("got one"));
                clients.add(out);
                on = backendsInUse(lab);
            }
            assertTrue(on.contains(CANONICAL.get(0)) || on.contains(CANONICAL.get(1)),
                    "no connection on a real server that sorts before .13: " + on);

            // Service a's history now differs from b's: .13 leaves its list and vipkeeper adds it back.
            int readdsBefore = lb.logCount("to add again in canonical mh order");
            Lab.sh("ip", "netns", "exec", lab.ns("lb"), "ipvsadm", "-d", "-t", VIP + ":80", "-r", CANONICAL.get(2) + ":80");
            lb.awaitLog("to add again in canonical mh order", readdsBefore + 1);
            Lab.await(60, "service a's list canonical again", () -> order(lab, 80).equals(CANONICAL));
            assertEquals(order(lab, 81), order(lab, 80), "both services end with one order");
            assertTrue(lb.err().contains("delete real server " + CANONICAL.get(0) + ":80"), lb.err());

            Files.writeString(go, "");
            for (Path out : clients) {
                Lab.await(60, "the second exchange of " + out.getFileName(),
                        () -> read(out).contains("two") || read(out).contains("lost"));
                assertTrue(read(out).contains("got two"), out.getFileName() + " did not survive the reorder (connections on "
                        + on + "):\n" + read(out) + "\n" + lb.err());
            }
        }
    }

    /** The real servers' addresses of the service on {@code port}, in the kernel's list order. */
    private static List<String> order(Lab lab, int port) {
        List<String> addresses = new ArrayList<>();
        for (String line : Shell.run("ip", "netns", "exec", lab.ns("lb"), "ipvsadm", "-Ln", "--nosort", "-t",
                VIP + ":" + port).lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 1 && f[0].equals("->") && !f[1].equals("RemoteAddress:Port")) {
                addresses.add(f[1].substring(0, f[1].lastIndexOf(':')));
            }
        }
        return addresses;
    }

    /** The real servers that hold a connection now ({@code ipvsadm -Lnc}: the destination's address). */
    private static Set<String> backendsInUse(Lab lab) {
        Set<String> used = new TreeSet<>();
        for (String line : Shell.run("ip", "netns", "exec", lab.ns("lb"), "ipvsadm", "-Lnc").lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[0].equals("TCP") && f[2].equals("ESTABLISHED")) {
                used.add(f[5].substring(0, f[5].lastIndexOf(':')));
            }
        }
        return used;
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
