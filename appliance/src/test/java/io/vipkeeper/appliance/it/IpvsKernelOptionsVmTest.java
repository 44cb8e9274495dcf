package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import io.vipkeeper.appliance.vm.VmSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * keepalived's lvs_timeouts and lvs_sync_daemon options in the real-IPVS kernel, with ipvsadm as
 * the oracle: {@code ipvs.timeouts} and the sync daemon's max-length, group, port and ttl are in
 * force after start ({@code ipvsadm -L --timeout}, {@code ipvsadm -L --daemon}), a hand edit of the
 * timeouts is put back, and a reload that changes them all is applied. One daemon, one JVM start
 * (they are slow under TCG).
 */
@Tag(VmSuite.TAG)
class IpvsKernelOptionsVmTest {
    private static final String NET = "198.19.120";

    private static String config(String timeouts, String syncOptions) {
        return """
                vipkeeper {
                  node-name = lb
                  api.listen = ""
                  vrrp.instances.web {
                    interface = eth0
                    virtual-router-id = 120
                    priority = 100
                    advert-interval = 1s
                    virtual-ips = ["%1$s.100/24"]
                  }
                  ipvs {
                    reconcile-interval = 500ms
                    timeouts { %2$s }
                    sync-daemon { instance = web, %3$s }
                    virtual-servers.web {
                      address = "%1$s.100"
                      port = 80
                      scheduler = rr
                      health-check.type = none
                      real-servers = [{ address = "%1$s.11" }]
                    }
                  }
                }
                """.formatted(NET, timeouts, syncOptions);
    }

    @Test
    void timeoutsAndSyncDaemonOptionsAreInForceAfterStartAndAfterAReload() throws Exception {
        try (Lab lab = Lab.create(NET)) {
            Path dir = Files.createTempDirectory("vk-kopt");
            String ns = lab.node("lb", 1);
            Path conf = dir.resolve("vipkeeper.conf");
            Files.writeString(conf, config("tcp = 7200s, tcp-fin = 60s, udp = 120s",
                    "max-length = 1400, group = \"239.0.0.120\", port = 8849, ttl = 2"));
            JarProcess lb = lab.own(JarProcess.startIn(ns, dir, "run", "-f", conf.toString()));
            lb.awaitLog("change(s) at start");
            // Alone on its segment the instance becomes MASTER, and its sync daemon with it.
            lb.awaitLog("master sync daemon on eth0");
            awaitIpvsadm(ns, List.of("-L", "--timeout"), "Timeout (tcp tcpfin udp): 7200 60 120");
            awaitIpvsadm(ns, List.of("-L", "--daemon"), "master sync daemon (mcast=eth0, syncid=120, maxlen=1400,"
                    + " group=239.0.0.120, port=8849, ttl=2)");

            // A hand edit (tcp only) is drift: put back within a reconcile interval.
            Shell.sh("ip netns exec " + ns + " ipvsadm --set 900 0 0");
            awaitIpvsadm(ns, List.of("-L", "--timeout"), "Timeout (tcp tcpfin udp): 7200 60 120");
            lb.awaitLog("ipvs repaired drift: connection timeouts tcp 900s -> 7200s");

            // A reload changes every timeout; the group goes back to the kernel's, port and ttl change.
            lb.reload(conf, config("tcp = 3600s, tcp-fin = 30s, udp = 90s", "max-length = 1400, port = 8850, ttl = 3"));
            awaitIpvsadm(ns, List.of("-L", "--timeout"), "Timeout (tcp tcpfin udp): 3600 30 90");
            awaitIpvsadm(ns, List.of("-L", "--daemon"), "master sync daemon (mcast=eth0, syncid=120, maxlen=1400,"
                    + " group=224.0.0.81, port=8850, ttl=3)");
            assertTrue(lb.err().contains("ipvs set: connection timeouts tcp 7200s -> 3600s, tcp-fin 60s -> 30s,"
                    + " udp 120s -> 90s"), lb.err());
        }
    }

    /** Waits up to 30 s for {@code ipvsadm ARGS} in {@code ns} to print a line equal to {@code line}. */
    private static void awaitIpvsadm(String ns, List<String> args, String line) throws InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns, "ipvsadm"));
        cmd.addAll(args);
        String[] last = {""};
        try {
            Lab.await(30, "ipvsadm " + String.join(" ", args) + " printing \"" + line + "\"", () -> {
                last[0] = Shell.run(cmd.toArray(String[]::new));
                return last[0].lines().anyMatch(l -> l.strip().equals(line));
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; it printed:\n" + last[0], e);
        }
    }
}
