package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.appliance.keepalived.KeepalivedImport;
import io.vipkeeper.appliance.vm.Shell;
import io.vipkeeper.appliance.vm.VmSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The import against keepalived itself in the real-IPVS kernel: for the keepalived fixtures with
 * virtual servers, keepalived 2.2.7 run from the fixture and vipkeeper run from its import, with
 * the same live and dead backends, end with the same IPVS table ({@code ipvsadm -Sn}, lines
 * sorted). The backends are chosen so that the steady state holds live real servers, a dead one
 * removed, a firewall-mark service with persistence, mh with mh-port and DR, a virtual server group
 * (expanded by the import), includes and definitions, and keepalived's fallbacks (an unknown
 * scheduler runs wlc, an unknown lb_kind NAT). keepalived's table is taken once its dead real
 * servers are out, and vipkeeper's must then equal it for 3 s. keepalived runs each fixture in a
 * lab of its own, all at once; vipkeeper is one daemon in one lab that has every fixture's
 * addresses, started on the first import and reloaded to each next one (a JVM start under TCG
 * costs a minute; four at once starved each other). lvs-nat.conf comes last with every backend
 * live, so its table is the one programmed before any check fails (HTTP_GET, SSL_GET, MISC_CHECK,
 * quorum, persistence, sh with sh-port and one-packet), and its connection timeouts and sync
 * daemon are compared too: with dead backends there, vipkeeper's https check never completed a
 * check under the VM's emulation (refused or served by openssl s_server alike; in one run the
 * daemon logged nothing more after start), to be found out.
 */
@Tag(VmSuite.TAG)
class KeepalivedTableVmTest {
    private static final Path FIXTURES = Shell.repo().resolve("appliance/src/test/resources/keepalived");
    private static final double KEEPALIVED_SECONDS = 120;
    private static final double VIPKEEPER_SECONDS = 240;

    /**
     * A fixture, its /24, what the backend node serves (busybox httpd -p ADDRESS:PORT) and when
     * keepalived's table has settled (its dead real servers handled).
     */
    private record Fixture(String file, String net, List<String> listen, Predicate<String> settled) {
    }

    private static final List<Fixture> FIXTURES_WITH_SERVERS = List.of(
            // 80 on both web backends, 443 for the fwmark service's connect_port; the group's
            // .21:8080 is dead (removed).
            new Fixture("lvs-dr-fwmark.conf", "198.19.13",
                    List.of("198.19.13.11:80", "198.19.13.12:80", "198.19.13.11:443"),
                    t -> t.contains("-A -f 7") && t.contains("-A -t 198.19.13.102:8080")
                            && !t.contains("-r 198.19.13.21:8080")),
            new Fixture("syntax.conf", "198.19.14", List.of("198.19.14.11:80"),
                    t -> t.contains("-r 198.19.14.21:53") && t.contains("-r 198.19.14.11:80")),
            new Fixture("fallbacks.conf", "198.19.15", List.of("198.19.15.11:80"),
                    t -> t.contains("-r 198.19.15.11:80")),
            // Every backend live (HTTP_GET both urls, body "ok\n" whose MD5 the fixture names;
            // SSL_GET from openssl s_server; TCP_CHECK; MISC_CHECK passes on its own), so both tables
            // stay as programmed at start: the table before any check has failed. Last, so that the
            // https check's trouble under TCG (see above) cannot hold up the others.
            new Fixture("lvs-nat.conf", "198.19.12", List.of("198.19.12.11:8080", "198.19.12.12:8080",
                    "198.19.12.12:443", "tls 198.19.12.11:443"),
                    t -> t.contains("-r 198.19.12.12:8080 -m -w 1") && t.contains("-r 198.19.12.11:443")
                            && t.contains("-r 198.19.12.22:53")));

    @Test
    void keepalivedAndItsImportProgramTheSameIpvsTable() throws Exception {
        Path dir = Files.createTempDirectory("vk-katable");
        List<Lab> labs = new ArrayList<>();
        try {
            List<String> keepalived = new ArrayList<>();
            for (Fixture f : FIXTURES_WITH_SERVERS) {
                Lab k = lab(labs, List.of(f), dir.resolve("k-" + f.file()));
                Path kdir = Files.createDirectories(dir.resolve("keepalived-" + f.file()));
                k.own(WebBackends.background(k.ns("lb"), kdir.resolve("log.txt"), "keepalived", "-n", "-l", "-D",
                        "-i", "lb1", "-f", FIXTURES.resolve(f.file()).toString(), "-p", kdir + "/k.pid",
                        "-r", kdir + "/v.pid", "-c", kdir + "/c.pid"));
                keepalived.add(k.ns("lb"));
            }
            Lab v = lab(labs, FIXTURES_WITH_SERVERS, dir.resolve("v"));
            String ours = v.ns("lb");
            Path conf = dir.resolve("vipkeeper.conf");
            Files.writeString(conf, imported(FIXTURES_WITH_SERVERS.get(0)));
            JarProcess daemon = v.own(JarProcess.startIn(ours, dir, "run", "-f", conf.toString()));
            for (int i = 0; i < FIXTURES_WITH_SERVERS.size(); i++) {
                Fixture f = FIXTURES_WITH_SERVERS.get(i);
                String expected = settled(f, keepalived.get(i));
                if (i > 0) {
                    daemon.reload(conf, imported(f));
                }
                String[] got = {""};
                try {
                    slowly(VIPKEEPER_SECONDS, f.file() + ": vipkeeper's table equal to keepalived's",
                            () -> (got[0] = table(ours)).equals(expected));
                    Thread.sleep(3000);
                    got[0] = table(ours);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nkeepalived:\n" + expected + "\nvipkeeper:\n"
                            + got[0] + "\nvipkeeper's log:\n" + daemon.err(), e);
                }
                assertEquals(expected, got[0], f.file() + ": vipkeeper's table changed after it matched");
                if (f.file().equals("lvs-nat.conf")) {
                    sameKernelOptions(keepalived.get(i), ours);
                }
            }
        } finally {
            labs.forEach(Lab::close);
        }
    }

    /**
     * lvs-nat.conf's lvs_timeouts and lvs_sync_daemon: the same in force (its instance is MASTER
     * in both labs, alone on its segment, so both run a master sync daemon).
     */
    private static void sameKernelOptions(String keepalived, String ours) throws InterruptedException {
        for (List<String> args : List.of(List.of("-L", "--timeout"), List.of("-L", "--daemon"))) {
            String[] k = {""};
            slowly(KEEPALIVED_SECONDS, "keepalived's " + args, () -> !(k[0] = ipvsadm(keepalived, args)).isBlank()
                    && (!args.contains("--daemon") || k[0].contains("master sync daemon")));
            String[] v = {""};
            try {
                slowly(VIPKEEPER_SECONDS, "vipkeeper's " + args + " equal to keepalived's",
                        () -> (v[0] = ipvsadm(ours, args)).equals(k[0]));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nkeepalived:\n" + k[0] + "\nvipkeeper:\n" + v[0], e);
            }
        }
    }

    /** keepalived's table of {@code f} once settled. */
    private static String settled(Fixture f, String ns) throws InterruptedException {
        String[] last = {""};
        try {
            slowly(KEEPALIVED_SECONDS, f.file() + ": keepalived's table settled",
                    () -> f.settled().test(last[0] = table(ns)));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; keepalived's table:\n" + last[0], e);
        }
        return last[0];
    }

    private static String imported(Fixture f) throws Exception {
        return KeepalivedImport.run(FIXTURES.resolve(f.file()), "lb1").config();
    }

    /**
     * A lab on the first fixture's /24 with the others' beside it on the same bridge: lb (.2 of
     * each, with an eth1 of its own) and one node holding every backend address and serving what
     * the fixtures' live backends serve.
     */
    private static Lab lab(List<Lab> labs, List<Fixture> fixtures, Path web) throws Exception {
        Lab lab = Lab.create(fixtures.get(0).net());
        labs.add(lab);
        String lb = lab.node("lb", 2);
        Lab.sh("ip", "-n", lb, "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p");
        Lab.sh("ip", "-n", lb, "link", "set", "eth1", "up");
        String be = lab.node("be", 11);
        Files.createDirectories(web);
        for (String page : List.of("health", "ready", "index.html")) {
            Files.writeString(web.resolve(page), "ok\n");
        }
        for (Fixture f : fixtures) {
            for (int host : new int[] {11, 12, 21, 22, 50}) {
                if (!(f == fixtures.get(0) && host == 11)) {
                    Lab.sh("ip", "-n", be, "addr", "add", f.net() + "." + host + "/24", "dev", "eth0");
                }
            }
            if (f != fixtures.get(0)) {
                Lab.sh("ip", "-n", lb, "addr", "add", f.net() + ".2/24", "dev", "eth0");
            }
        }
        for (Fixture f : fixtures) {
            for (String listen : f.listen()) {
                if (listen.startsWith("tls ")) {
                    // A self-signed EC certificate: SSL_GET and vipkeeper's https check verify nothing.
                    Shell.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                            "-nodes", "-subj", "/CN=backend", "-days", "2", "-keyout", web + "/key.pem", "-out",
                            web + "/cert.pem");
                    lab.own(WebBackends.background(be, null, "openssl", "s_server", "-quiet", "-www", "-accept",
                            listen.substring(4), "-cert", web + "/cert.pem", "-key", web + "/key.pem"));
                } else {
                    lab.own(WebBackends.background(be, null, "busybox", "httpd", "-f", "-p", listen, "-h",
                            web.toString()));
                }
            }
        }
        // Listening before the first check, so a live backend never starts as a failed one.
        for (Fixture f : fixtures) {
            for (String listen : f.listen()) {
                String address = listen.substring(listen.indexOf(' ') + 1);
                Lab.await(30, "a server on " + address, () -> Shell.tryRun("ip", "netns", "exec", be, "sh", "-c",
                        "ss -ltn | grep -q ' " + address + " '").code() == 0);
            }
        }
        return lab;
    }

    /** {@link Lab#await} at a pace that leaves the VM's two CPUs to the daemons (each look forks ipvsadm). */
    private static void slowly(double seconds, String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        Lab.await(seconds, 500, what, condition);
    }

    /** {@code ipvsadm -Sn} in {@code ns}, its lines sorted (the kernel's list order is the adders' order). */
    private static String table(String ns) {
        return String.join("\n", ipvsadm(ns, List.of("-Sn")).lines().sorted().toList());
    }

    private static String ipvsadm(String ns, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "ipvsadm"));
        cmd.addAll(args);
        return Shell.run(cmd.toArray(String[]::new));
    }
}
