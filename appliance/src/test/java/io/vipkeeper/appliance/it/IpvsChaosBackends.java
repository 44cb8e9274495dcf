package io.vipkeeper.appliance.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The IPVS fault lab's web backends: nodes 198.18.1.{11,12,13} of the lab, each with a busybox
 * HTTP server on port 80 that the lab stops (SIGKILL) and starts again to make health flaps.
 */
final class IpvsChaosBackends implements AutoCloseable {
    private final Lab lab;
    private final Path dir;
    private final Map<Integer, AutoCloseable> servers = new TreeMap<>();

    /** Adds the nodes and starts every server. */
    IpvsChaosBackends(Lab lab, Path dir) throws Exception {
        this.lab = lab;
        this.dir = dir;
        for (int octet : IpvsChaosConfig.WEB_SERVERS) {
            lab.node(name(octet), octet);
            Files.writeString(Files.createDirectories(dir.resolve(name(octet))).resolve("index.html"), name(octet) + "\n");
            start(octet);
        }
    }

    private static String name(int octet) {
        return "web" + octet;
    }

    /** Starts the server of 198.18.1.{octet} (returns before it listens). */
    void start(int octet) throws Exception {
        servers.put(octet, WebBackends.background(lab.ns(name(octet)), null, "busybox", "httpd", "-f", "-p", "80", "-h",
                dir.resolve(name(octet)).toString()));
    }

    /** Kills the server of 198.18.1.{octet} (its port closes with it). */
    void stop(int octet) throws Exception {
        AutoCloseable s = servers.remove(octet);
        if (s != null) {
            s.close();
        }
    }

    /**
     * Waits (at most 10 s) until the port of 198.18.1.{octet} accepts or refuses as {@code up}
     * says; call from a thread in a lab namespace. Returns whether it did.
     */
    static boolean await(int octet, boolean up) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (IpvsChaosProbes.accepts(octet) != up) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() throws Exception {
        for (int octet : new java.util.ArrayList<>(servers.keySet())) {
            stop(octet);
        }
    }
}
