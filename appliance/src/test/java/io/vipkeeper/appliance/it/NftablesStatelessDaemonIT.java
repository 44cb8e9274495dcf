package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon forwarding {@code forwarding = stateless-nat} on the nftables data plane, on the host
 * kernel: {@code vipkeeper run} in a director's namespace with a UDP health check of two echo
 * backends (their default route through the director), and a client on the VIP's network. Both
 * backends answer through the VIP; one whose echo stops fails its check and gets no more flows;
 * started again it passes and gets them back. The director's own checks of the backends' port
 * are answered to it, not turned into the VIP's answers.
 */
class NftablesStatelessDaemonIT {
    private static final String SUBNET = "198.18.114";
    private static final String CLIENTS = "198.18.115";
    private static final String VIP = CLIENTS + ".100";
    private static final String CLIENT = CLIENTS + ".20";
    private static final int PORT = 7000;

    @TempDir
    Path dir;

    @Test
    void aBackendFailingItsUdpCheckLeavesAndReturns() throws Exception {
        try (Lab lab = Lab.create(SUBNET)) {
            String director = lab.node("director", 10);
            Lab.sh("ip", "-n", director, "addr", "add", CLIENTS + ".1/24", "dev", "eth0");
            Lab.sh("ip", "-n", director, "addr", "add", VIP + "/32", "dev", "eth0");
            String client = lab.node("client", 20);
            Lab.sh("ip", "-n", client, "addr", "add", CLIENT + "/24", "dev", "eth0");
            String[] names = {"b1", "b2"};
            for (int i = 0; i < names.length; i++) {
                String ns = lab.node(names[i], 11 + i);
                Lab.sh("ip", "-n", ns, "route", "add", "default", "via", SUBNET + ".10");
            }
            RawUdpEcho.start(lab, lab.ns("b1"), "b1", SUBNET + ".11", PORT);
            Process b2 = RawUdpEcho.start(lab, lab.ns("b2"), "b2", SUBNET + ".12", PORT);
            Path conf = Files.writeString(dir.resolve("vipkeeper.conf"), """
                    vipkeeper {
                      node-name = director
                      data-plane = nftables
                      api.listen = ""
                      ipvs {
                        reconcile-interval = 1s
                        virtual-servers.dns {
                          address = "%s"
                          port = 53
                          protocol = udp
                          forwarding = stateless-nat
                          scheduler = mh
                          scheduler-flags = [mh-port]
                          health-check { type = udp, interval = 500ms, timeout = 400ms, rise = 1, fall = 1
                            udp { payload = "hc", expect = "b" } }
                          real-servers = [{ address = "%s.11", port = %d }, { address = "%s.12", port = %d }]
                        }
                      }
                    }
                    """.formatted(VIP, SUBNET, PORT, SUBNET, PORT));
            var clientThread = java.util.concurrent.Executors.newSingleThreadExecutor(NamespaceThreads.factory(client, "client"));
            try (JarProcess daemon = lab.own(JarProcess.startIn(director, dir, "run", "-f", conf.toString(),
                    "--state-dir", dir.resolve("state").toString()))) {
                daemon.awaitLog("change(s) at start");
                await(daemon, "both backends answer through the VIP",
                        () -> spread(clientThread, 40).keySet().equals(Set.of("b1", "b2")));
                b2.destroyForcibly().waitFor();
                await(daemon, "b2, failing its check, gets no flows", () -> spread(clientThread, 40).equals(Map.of("b1", 40)));
                RawUdpEcho.start(lab, lab.ns("b2"), "b2", SUBNET + ".12", PORT);
                await(daemon, "b2, passing again, gets flows again",
                        () -> spread(clientThread, 40).keySet().equals(Set.of("b1", "b2")));
                assertTrue(!daemon.err().contains("Exception"), daemon.err());
            } finally {
                clientThread.shutdownNow();
            }
        }
    }

    /** {@link Lab#await} for 30 s, the daemon's log in the failure. */
    private static void await(JarProcess daemon, String what, java.util.function.BooleanSupplier condition) throws Exception {
        try {
            Lab.await(30, what, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + daemon.err(), e);
        }
    }

    /** Which backend answered each of {@code flows} flows (client ports 46000 on) to VIP:53; "none" for no answer. */
    private static Map<String, Integer> spread(java.util.concurrent.ExecutorService clientThread, int flows) {
        try {
            return EngineThread.call(clientThread, () -> {
                Map<String, Integer> seen = new TreeMap<>();
                for (int i = 0; i < flows; i++) {
                    seen.merge(ask(46000 + i), 1, Integer::sum);
                }
                return seen;
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String ask(int port) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(CLIENT), port))) {
            s.setSoTimeout(500);
            byte[] q = "q".getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(q, q.length, InetAddress.getByName(VIP), 53));
            DatagramPacket r = new DatagramPacket(new byte[512], 512);
            s.receive(r);
            assertEquals(new InetSocketAddress(InetAddress.getByName(VIP), 53), r.getSocketAddress());
            return new String(r.getData(), 0, r.getLength(), StandardCharsets.US_ASCII).split(" ")[0];
        } catch (SocketTimeoutException e) {
            return "none";
        }
    }
}
