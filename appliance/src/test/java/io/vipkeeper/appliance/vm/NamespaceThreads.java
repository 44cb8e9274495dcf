package io.vipkeeper.appliance.vm;

import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.Native;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test namespaces shared by the labs: threads that enter a network namespace (setns is per
 * thread, so an event loop group built on them opens its sockets there), and removal of the
 * namespaces that dead test JVMs left behind (their names carry the owner's pid in hex).
 */
public final class NamespaceThreads {
    private NamespaceThreads() {
    }

    /** Moves the calling thread into network namespace {@code ns} (a name under /run/netns). */
    public static void enter(String ns) {
        int fd = Native.LIBC.open("/run/netns/" + ns, 0);
        Native.check(fd, "open netns " + ns);
        try {
            Native.check(Native.LIBC.setns(fd, LinuxConstants.CLONE_NEWNET), "setns " + ns);
        } finally {
            Native.LIBC.close(fd);
        }
    }

    /**
     * Runs {@code task} on a new thread inside {@code ns} (sockets it opens stay there) and returns
     * its result; its exception is rethrown as is. Waits at most a minute.
     */
    public static <T> T call(String ns, Callable<T> task) throws Exception {
        FutureTask<T> f = new FutureTask<>(() -> {
            enter(ns);
            return task.call();
        });
        new Thread(f, "in-" + ns).start();
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** Daemon threads named {@code prefix-N} that enter {@code ns} before running anything. */
    public static ThreadFactory factory(String ns, String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(() -> {
                enter(ns);
                r.run();
            }, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Deletes the namespaces named {@code base + PID-IN-HEX + end + ...} whose process is gone.
     *
     * @param end the character that ends the pid in the name
     */
    public static void removeLeftovers(String base, char end) {
        for (String line : Shell.run("ip", "netns", "list").split("\n")) {
            String name = line.split(" ")[0];
            int stop = name.indexOf(end, base.length());
            if (!name.startsWith(base) || stop <= base.length()) {
                continue;
            }
            try {
                long owner = Long.parseLong(name.substring(base.length(), stop), 16);
                if (ProcessHandle.of(owner).isEmpty()) {
                    Shell.run("ip", "netns", "del", name);
                }
            } catch (NumberFormatException e) {
                // not one of ours
            }
        }
    }
}
