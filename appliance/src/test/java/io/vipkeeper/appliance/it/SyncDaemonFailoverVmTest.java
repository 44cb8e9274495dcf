package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import io.vipkeeper.appliance.vm.VmSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole appliance on two load balancers in the real-IPVS kernel: VRRP moves the VIP, both
 * program the same DR service, and the IPVS sync daemon (master on the VRRP master, backup on the
 * other) copies connections, so a long-lived TCP connection through the VIP survives the master
 * losing its cable. DR backends are prepared by {@code vipkeeper realserver up}.
 */
@Tag(VmSuite.TAG)
class SyncDaemonFailoverVmTest {
    private static final String VIP = "198.18.1.100";

    private static String config(String node, int priority) {
        return """
                vipkeeper {
                  node-name = %s
                  api.listen = ""
                  vrrp.instances.web {
                    interface = eth0
                    virtual-router-id = 51
                    priority = %d
                    advert-interval = 1s
                    virtual-ips = ["%s/24"]
                  }
                  ipvs {
                    sync-daemon { instance = web }
                    virtual-servers.echo {
                      address = "%s"
                      port = 7
                      scheduler = rr
                      forwarding = dr
                      real-servers = [{ address = "198.18.1.11" }]
                    }
                  }
                }
                """.formatted(node, priority, VIP, VIP);
    }

    @Test
    void aLongLivedConnectionSurvivesTheMasterLosingItsCable() throws Exception {
        try (Lab lab = Lab.create()) {
            Path dir = Files.createTempDirectory("vk-sync");
            lab.node("lb1", 1);
            lab.node("lb2", 2);
            lab.node("web1", 11);
            lab.node("client", 50);
            Path rs = dir.resolve("realserver.conf");
            Files.writeString(rs, "vipkeeper.real-server { vips = [\"" + VIP + "\"], interface = eth0 }\n");
            try (JarProcess up = JarProcess.startIn(lab.ns("web1"), dir, "realserver", "up", "-f", rs.toString(),
                    "--state", dir.resolve("web1.state").toString())) {
                assertEquals(0, up.waitFor(), up.err());
            }
            // An echo server: every line comes back.
            Process echo = new ProcessBuilder("ip", "netns", "exec", lab.ns("web1"), "busybox", "nc", "-ll", "-p", "7",
                    "-e", "/bin/cat").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            lab.own(echo::destroyForcibly);
            JarProcess lb1 = start(lab, dir, "lb1", 150);
            lb1.awaitLog("BACKUP -> MASTER");
            JarProcess lb2 = start(lab, dir, "lb2", 100);
            lb2.awaitLog("INITIALIZE -> BACKUP");
            lb2.awaitLog("backup sync daemon on eth0");
            lb1.awaitLog("master sync daemon on eth0");

            Path out = dir.resolve("client.out");
            Path go = dir.resolve("go");
            String script = "exec 3<>/dev/tcp/" + VIP + "/7; echo one >&3; read -r a <&3; echo \"got $a\";"
                    + " while [ ! -e " + go + " ]; do sleep 0.2; done;"
                    + " echo two >&3; if read -t 15 -r b <&3; then echo \"got $b\"; else echo lost; fi";
            Process client = new ProcessBuilder("ip", "netns", "exec", lab.ns("client"), "bash", "-c", script)
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            lab.own(client::destroyForcibly);
            Lab.await(30, "the first echo", () -> read(out).contains("got one"));
            // The backup learns the connection from the master's sync messages.
            Lab.await(30, "the connection synced to lb2", () -> Shell.run("ip", "netns", "exec", lab.ns("lb2"), "ipvsadm",
                    "-Lnc").contains("198.18.1.50:"));

            lab.cable("lb1", false);
            lb2.awaitLog("BACKUP -> MASTER");
            lb2.awaitLog("master sync daemon on eth0");
            Files.writeString(go, "");
            Lab.await(30, "the client's second exchange", () -> read(out).contains("two") || read(out).contains("lost"));
            assertTrue(read(out).contains("got two"), "the connection did not survive the failover:\n" + read(out)
                    + "\nlb2:\n" + lb2.err());
        }
    }

    private static JarProcess start(Lab lab, Path dir, String node, int priority) throws Exception {
        Path conf = dir.resolve(node + ".conf");
        Files.writeString(conf, config(node, priority));
        return lab.own(JarProcess.startIn(lab.ns(node), dir, "run", "-f", conf.toString()));
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
