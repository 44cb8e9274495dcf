package io.vipkeeper.appliance.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A network-namespace lab on the host kernel: one namespace with a bridge, and nodes joined to it
 * by veth pairs (eth0 inside each node, 198.18.1.N/24 unless another /24 is given). Names carry the owning JVM's pid so
 * leftovers of a killed run are removed at the next start and parallel runs never collide.
 * {@link #close()} kills what the lab started and deletes every namespace, also after failures.
 */
final class Lab implements AutoCloseable {
    private static final String BASE = "vk";
    private static int labs;
    private final String prefix;
    private final String bridge;
    private final String subnet;
    private final List<String> namespaces = new ArrayList<>();
    private final List<AutoCloseable> processes = new ArrayList<>();
    private boolean closed;

    private Lab(String prefix, String subnet) {
        this.prefix = prefix;
        this.bridge = prefix + "br";
        this.subnet = subnet;
    }

    /** A lab with its bridge namespace, nodes on 198.18.1.0/24. */
    static Lab create() throws Exception {
        return create("198.18.1");
    }

    /** A lab whose nodes are on {@code subnet}.0/24 (three octets, such as "198.18.15"). */
    static Lab create(String subnet) throws Exception {
        removeLeftovers();
        Lab lab = new Lab(BASE + Long.toHexString(ProcessHandle.current().pid()) + "x" + (labs++) + "-", subnet);
        try {
            lab.addNamespace(lab.bridge);
            sh("ip", "-n", lab.bridge, "link", "add", "br0", "type", "bridge");
            sh("ip", "-n", lab.bridge, "link", "set", "br0", "up");
        } catch (Exception e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private static void removeLeftovers() throws Exception {
        for (String line : sh("ip", "netns", "list").split("\n")) {
            String name = line.split(" ")[0];
            int x = name.indexOf('x');
            if (name.startsWith(BASE) && x > BASE.length() && name.contains("-")) {
                try {
                    long owner = Long.parseLong(name.substring(BASE.length(), x), 16);
                    if (ProcessHandle.of(owner).isEmpty()) {
                        sh("ip", "netns", "del", name);
                    }
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        }
    }

    private void addNamespace(String ns) throws Exception {
        sh("ip", "netns", "add", ns);
        namespaces.add(ns);
        sh("ip", "-n", ns, "link", "set", "lo", "up");
        sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0",
                "net.ipv6.conf.default.accept_dad=0");
    }

    /** A node named {@code name} at SUBNET.{host}/24; returns its namespace name. */
    String node(String name, int host) throws Exception {
        String ns = prefix + name;
        addNamespace(ns);
        sh("ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", name, "netns", bridge);
        sh("ip", "-n", bridge, "link", "set", name, "master", "br0", "up");
        sh("ip", "-n", ns, "addr", "add", subnet + "." + host + "/24", "dev", "eth0");
        sh("ip", "-n", ns, "link", "set", "eth0", "up");
        return ns;
    }

    /** The nodes' /24 as three octets ("198.18.1"). */
    String subnet() {
        return subnet;
    }

    /** The namespace of node {@code name}. */
    String ns(String name) {
        return prefix + name;
    }

    /** The node's own eth0 down/up (a link fault it sees). */
    void link(String name, boolean up) throws Exception {
        sh("ip", "-n", ns(name), "link", "set", "eth0", up ? "up" : "down");
    }

    /** The namespace of the bridge (where the nodes' cables are plugged, named after them). */
    String bridgeNs() {
        return bridge;
    }

    /** The bridge side of the node's cable down/up: the node loses carrier (a pulled cable). */
    void cable(String name, boolean connected) throws Exception {
        sh("ip", "-n", bridge, "link", "set", name, connected ? "up" : "down");
    }

    /**
     * Cuts the node off the bridge or joins it again: the port stops forwarding (STP state
     * disabled) while both links stay up, a partition the node cannot see. (Taking the port
     * down would drop the node's carrier, which it does see.)
     */
    void partition(String name, boolean cut) throws Exception {
        sh("bridge", "-n", bridge, "link", "set", "dev", name, "state", cut ? "0" : "3");
    }

    /** Whether {@code ip} is on node {@code name}'s eth0. */
    boolean has(String name, String ip) throws Exception {
        return sh("ip", "-n", ns(name), "-o", "addr", "show", "dev", "eth0").contains(" " + ip + "/");
    }

    /** Whether node {@code name} gets an answer to one ping of {@code ip} within a second. */
    boolean pings(String name, String ip) {
        try {
            sh("ip", "netns", "exec", ns(name), "ping", "-c", "1", "-W", "1", ip);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** {@link #has} for a condition to await: a failure to ask is an unchecked exception. */
    boolean holds(String name, String ip) {
        try {
            return has(name, ip);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes {@code p} (kills the process) with the lab. */
    synchronized <T extends AutoCloseable> T own(T p) {
        processes.add(p);
        return p;
    }

    /** Waits up to {@code seconds} for {@code condition}; fails with {@code what}. */
    static void await(double seconds, String what, BooleanSupplier condition) throws InterruptedException {
        await(seconds, 20, what, condition);
    }

    /** {@link #await} looking every {@code pollMillis} (a look that forks a program is not free). */
    static void await(double seconds, long pollMillis, String what, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what);
            }
            Thread.sleep(pollMillis);
        }
    }

    /** Runs a command; returns stdout+stderr; throws on a non-zero exit. */
    static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return; // a Ctrl-C hook and the normal end may both close it
        }
        closed = true;
        for (AutoCloseable p : processes) {
            try {
                p.close();
            } catch (Exception e) {
                System.err.println("lab: " + e);
            }
        }
        for (String ns : namespaces) {
            try {
                // Processes still inside (a child of a killed JVM) would keep the namespace alive.
                new ProcessBuilder("ip", "netns", "pids", ns).start();
                sh("ip", "netns", "del", ns);
            } catch (Exception e) {
                System.err.println("lab: cannot delete " + ns + ": " + e.getMessage());
            }
        }
    }
}
