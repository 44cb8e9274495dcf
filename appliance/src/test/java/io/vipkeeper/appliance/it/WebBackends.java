package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Web backends for the IPVS traffic tests, and processes run in a lab's namespaces. */
final class WebBackends {
    private WebBackends() {
    }

    /**
     * Adds nodes web1..web{@code count} (198.18.1.11, .12, ...), each serving an index.html with
     * its own name from busybox httpd on every port of {@code ports}; the lab stops them.
     */
    static void add(Lab lab, Path dir, int count, int... ports) throws Exception {
        for (int i = 1; i <= count; i++) {
            String name = "web" + i;
            lab.node(name, 10 + i);
            Path root = Files.createDirectories(dir.resolve(name));
            Files.writeString(root.resolve("index.html"), name + "\n");
            for (int port : ports) {
                lab.own(background(lab.ns(name), null, "busybox", "httpd", "-f", "-p", Integer.toString(port), "-h",
                        root.toString()));
            }
        }
    }

    /**
     * The body of GET / from namespace {@code ns} (from its address {@code local}, null: the
     * kernel's choice) to address:port, or null when nothing answers within 2 s.
     */
    static String get(String ns, String local, String address, int port) {
        return HttpGet.body(ns, local, address, port, 2000);
    }

    /** Runs {@code cmd} in {@code ns}, output to {@code out} (or dropped); closing kills it and its children. */
    static AutoCloseable background(String ns, Path out, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        Process p = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(out == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(out.toFile()))
                .start();
        return () -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        };
    }
}
