package io.vipkeeper.vrrp.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces for tests: created with {@code ip netns}, entered on a fresh thread with
 * setns(2) so sockets opened there live in the namespace. Names carry the owning JVM's pid;
 * leftovers of dead JVMs are removed first.
 */
final class NetNs implements AutoCloseable {
    static final String BASE = "vkt";
    private static final String PREFIX = BASE + Long.toHexString(ProcessHandle.current().pid()) + "-";
    private final List<String> created = new ArrayList<>();

    NetNs() throws Exception {
        for (String line : sh("ip", "netns", "list").split("\n")) {
            String name = line.split(" ")[0];
            int dash = name.indexOf('-');
            if (name.startsWith(BASE) && dash > BASE.length()) {
                long owner = Long.parseLong(name.substring(BASE.length(), dash), 16);
                if (ProcessHandle.of(owner).isEmpty()) {
                    sh("ip", "netns", "del", name);
                }
            }
        }
    }

    /** Creates a namespace with lo up; returns its full name. */
    String create(String suffix) throws Exception {
        String name = PREFIX + suffix;
        sh("ip", "netns", "add", name);
        created.add(name);
        sh("ip", "-n", name, "link", "set", "lo", "up");
        // Link-local addresses would stay "tentative" for a second or two and refuse to send.
        sh("ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0",
                "net.ipv6.conf.default.accept_dad=0");
        return name;
    }

    /** A veth pair between two namespaces with IPv4 prefixes (IPv6 link-local comes by itself). */
    void veth(String nsA, String ifA, String addrA, String nsB, String ifB, String addrB) throws Exception {
        sh("ip", "link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB);
        sh("ip", "-n", nsA, "addr", "add", addrA, "dev", ifA);
        sh("ip", "-n", nsB, "addr", "add", addrB, "dev", ifB);
        sh("ip", "-n", nsA, "link", "set", ifA, "up");
        sh("ip", "-n", nsB, "link", "set", ifB, "up");
    }

    /** Waits until {@code ifname} in {@code ns} has a usable IPv6 link-local address and routes. */
    static void awaitIpv6(String ns, String ifname) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            String addr = sh("ip", "-n", ns, "-6", "addr", "show", "dev", ifname, "scope", "link");
            String routes = sh("ip", "-n", ns, "-6", "route", "show", "table", "local", "dev", ifname);
            if (addr.contains("fe80") && !addr.contains("tentative") && routes.contains("multicast ff00::/8")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no usable IPv6 on " + ns + "/" + ifname + ": " + addr + routes);
            }
            Thread.sleep(50);
        }
    }

    /** Runs {@code task} on a new thread inside {@code ns}. */
    static <T> T in(String ns, Callable<T> task) throws Exception {
        FutureTask<T> f = new FutureTask<>(() -> {
            int fd = Native.LIBC.open("/run/netns/" + ns, 0);
            Native.check(fd, "open netns " + ns);
            try {
                Native.check(Native.LIBC.setns(fd, LinuxConstants.CLONE_NEWNET), "setns " + ns);
            } finally {
                Native.LIBC.close(fd);
            }
            return task.call();
        });
        Thread t = new Thread(f, "netns-" + ns);
        t.start();
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** Runs a command, returns stdout; throws with stderr on a non-zero exit. */
    static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() {
        for (String ns : created) {
            try {
                sh("ip", "netns", "del", ns);
            } catch (Exception e) {
                System.err.println("cleanup of " + ns + " failed: " + e.getMessage());
            }
        }
    }
}
