package io.vipkeeper.appliance.health;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import io.vipkeeper.appliance.vm.Shell;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace for health-check tests on the host kernel (root): an interface with
 * 198.18.0.0/15 addresses, backends started inside it, and event loops whose threads entered it,
 * so that every packet stays in the namespace. The name carries the JVM's pid; leftovers of dead
 * JVMs are removed first, and {@link #close()} kills what it started and deletes the namespace.
 */
final class HealthLab implements AutoCloseable {
    private static final String BASE = "vkh";
    private static final AtomicInteger LABS = new AtomicInteger();
    final String ns;
    private final List<Process> processes = new ArrayList<>();
    private final List<EventLoopGroup> groups = new ArrayList<>();

    private HealthLab(String ns) {
        this.ns = ns;
    }

    static HealthLab create() throws Exception {
        NamespaceThreads.removeLeftovers(BASE, '-');
        HealthLab lab = new HealthLab(BASE + Long.toHexString(ProcessHandle.current().pid()) + "-" + LABS.getAndIncrement());
        sh("ip", "netns", "add", lab.ns);
        try {
            lab.ip("link", "set", "lo", "up");
            // A veth pair with both ends inside (kernels without the dummy module have veth).
            lab.ip("link", "add", "d0", "type", "veth", "peer", "name", "d1");
            lab.ip("link", "set", "d0", "up");
            lab.ip("link", "set", "d1", "up");
        } catch (Exception e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /** Adds {@code address} (e.g. 198.18.2.1/32) to the lab's interface. */
    void address(String address) throws Exception {
        ip("addr", "add", address, "dev", "d0");
    }

    /** Runs {@code ip -n NS ARGS}. */
    String ip(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        return sh(cmd.toArray(String[]::new));
    }

    /**
     * A table with one rule in an input chain, e.g. {@code ip daddr X tcp dport 80 tcp flags & (syn | ack) == syn drop}.
     */
    static String inputRule(String table, String rule) {
        return "table inet " + table + " {\n chain input {\n  type filter hook input priority 0;\n  " + rule
                + "\n }\n}\n";
    }

    /** Loads an nft ruleset (e.g. a table that drops SYNs) inside the namespace. */
    void nft(String rules) {
        Shell.sh("ip netns exec " + ns + " nft -f - <<'EOF'\n" + rules + "\nEOF\n");
    }

    /** An epoll event loop group whose threads live in the namespace; shut down by close. */
    EventLoopGroup group(int threads) {
        return group(threads, EpollIoHandler.newFactory());
    }

    /** The same with {@code io} (e.g. NIO, which the daemon may use where epoll is missing). */
    EventLoopGroup group(int threads, IoHandlerFactory io) {
        EventLoopGroup g = new MultiThreadIoEventLoopGroup(threads, NamespaceThreads.factory(ns, "health-" + ns), io);
        groups.add(g);
        return g;
    }

    /** Starts {@code cmd} inside the namespace; output goes to {@code log}. */
    Process start(Path log, String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    /**
     * Starts {@link TestBackend} in the namespace with {@code args} and waits for its "ready" line
     * (it prints it once its sockets are open).
     */
    Process backend(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), TestBackend.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        synchronized (processes) {
            processes.add(p);
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                String l;
                while ((l = r.readLine()) != null && !l.equals("ready")) {
                    System.err.println("backend: " + l);
                }
                return l;
            } catch (IOException e) {
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        if (line == null) {
            throw new IOException("backend " + String.join(" ", args) + " ended before it was ready");
        }
        // Keep draining so a chatty backend never blocks.
        Thread drain = new Thread(() -> {
            try {
                while (r.readLine() != null) {
                    // discarded
                }
            } catch (IOException e) {
                // gone
            }
        }, "backend-drain");
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    /** SIGKILL, as a crash. */
    static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    /** Runs a command, returns its output; a non-zero exit fails the test. */
    static String sh(String... cmd) {
        return Shell.run(cmd);
    }

    /** Waits until something listens on {@code address:port} ({@code tcp} or {@code udp}) in the namespace. */
    void awaitListening(String protocol, String address, int port) throws InterruptedException {
        String flags = protocol.equals("udp") ? "-Hlun" : "-Hltn";
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!sh("ip", "netns", "exec", ns, "ss", flags, "src", address + ":" + port).contains(address)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nothing listens on " + protocol + " " + address + ":" + port);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        for (EventLoopGroup g : groups) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        synchronized (processes) {
            for (Process p : processes) {
                try {
                    kill(p);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try {
            sh("ip", "netns", "del", ns);
        } catch (Exception e) {
            System.err.println("cleanup of " + ns + " failed: " + e.getMessage());
        }
    }
}
