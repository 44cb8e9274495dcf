package io.vipkeeper.appliance.api;

import static io.vipkeeper.appliance.vm.Shell.run;

import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.Native;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace with only {@code lo} up, for the status API's tests: the server's event
 * loop and the test's clients run on threads that entered it (namespaces are per thread), commands
 * through {@code ip netns exec}. The name carries the JVM's pid; leftovers of dead JVMs are removed.
 */
final class ApiNamespace implements AutoCloseable {
    private static final String BASE = "vkapi";
    final String name;

    private ApiNamespace(String name) {
        this.name = name;
    }

    /** A fresh namespace. */
    static ApiNamespace create() throws Exception {
        for (String line : run("ip", "netns", "list").split("\n")) {
            String ns = line.split(" ")[0];
            if (ns.startsWith(BASE) && ns.length() > BASE.length()) {
                try {
                    if (ProcessHandle.of(Long.parseLong(ns.substring(BASE.length()), 16)).isEmpty()) {
                        run("ip", "netns", "del", ns);
                    }
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        }
        String name = BASE + Long.toHexString(ProcessHandle.current().pid());
        run("ip", "netns", "add", name);
        run("ip", "-n", name, "link", "set", "lo", "up");
        return new ApiNamespace(name);
    }

    /** Threads that enter the namespace before running anything (for an event loop group). */
    ThreadFactory threads(String prefix) {
        int[] n = {0};
        return r -> {
            Thread t = new Thread(() -> {
                enter();
                r.run();
            }, prefix + "-" + n[0]++);
            t.setDaemon(true);
            return t;
        };
    }

    private void enter() {
        int fd = Native.LIBC.open("/run/netns/" + name, 0);
        Native.check(fd, "open netns " + name);
        try {
            Native.check(Native.LIBC.setns(fd, LinuxConstants.CLONE_NEWNET), "setns " + name);
        } finally {
            Native.LIBC.close(fd);
        }
    }

    /** Runs {@code task} on a new thread inside the namespace. */
    <T> T in(Callable<T> task) throws Exception {
        FutureTask<T> f = new FutureTask<>(() -> {
            enter();
            return task.call();
        });
        new Thread(f, "in-" + name).start();
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** The command line to run {@code cmd} inside the namespace. */
    List<String> exec(String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        return full;
    }

    @Override
    public void close() {
        run("ip", "netns", "del", name);
    }
}
