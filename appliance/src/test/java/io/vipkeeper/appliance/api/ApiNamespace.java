package io.vipkeeper.appliance.api;

import static io.vipkeeper.appliance.vm.Shell.run;

import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;

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
        return create("api");
    }

    /** A fresh namespace whose name ends in {@code suffix} (one per test class of a JVM). */
    static ApiNamespace create(String suffix) throws Exception {
        NamespaceThreads.removeLeftovers(BASE, '-');
        String name = BASE + Long.toHexString(ProcessHandle.current().pid()) + "-" + suffix;
        run("ip", "netns", "add", name);
        run("ip", "-n", name, "link", "set", "lo", "up");
        return new ApiNamespace(name);
    }

    /** Threads that enter the namespace before running anything (for an event loop group). */
    ThreadFactory threads(String prefix) {
        return NamespaceThreads.factory(name, prefix);
    }

    /** Runs {@code task} on a new thread inside the namespace. */
    <T> T in(Callable<T> task) throws Exception {
        return NamespaceThreads.call(name, task);
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
