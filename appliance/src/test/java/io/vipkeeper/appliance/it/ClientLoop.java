package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * A client in a lab namespace sending HTTP requests to an address one after another, each on a new
 * connection, for as long as the lab lives, with every outcome a line in a file: the traffic that
 * the IPVS VM tests (reloads, drains) must not break.
 */
final class ClientLoop {
    private final Path log;

    private ClientLoop(Path log) {
        this.log = log;
    }

    /** Starts the loop in {@code ns} toward {@code address}:{@code port}, logging to {@code log}; the lab stops it. */
    static ClientLoop start(Lab lab, String ns, Path log, String address, int port) throws Exception {
        lab.own(WebBackends.background(ns, log, "sh", "-c", "while :; do"
                + " r=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 5 " + address + " " + port + " 2>&1);"
                + " case \"$r\" in *' 200 '*) echo ok;; *) echo FAIL; echo \"at $(date +%T.%N): $r\";; esac; done"));
        return new ClientLoop(log);
    }

    private List<String> outcomes() throws Exception {
        return Files.readAllLines(log).stream().filter(l -> l.equals("ok") || l.equals("FAIL")).toList();
    }

    /**
     * Waits until the client made {@code n} more requests; none of all so far may have failed (else
     * the failures, then the log of {@code lb} and the connections in the IPVS table of its namespace {@code lbNs}).
     */
    void awaitRequests(int n, JarProcess lb, String lbNs) throws Exception {
        awaitRequests(n, () -> {
            try {
                return "lb log:\n" + lb.err() + io.vipkeeper.appliance.vm.Shell.run("ip", "netns", "exec", lbNs, "ipvsadm", "-Lnc");
            } catch (Exception e) {
                return e.toString();
            }
        });
    }

    private void awaitRequests(int n, Supplier<String> context) throws Exception {
        int target = outcomes().size() + n;
        Lab.await(120, n + " more requests", () -> {
            try {
                return outcomes().size() >= target;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> all = outcomes();
        assertEquals(0, all.stream().filter(l -> l.equals("FAIL")).count(), () -> {
            try {
                return "failed requests among " + all.size() + ":\n" + String.join("\n", Files.readAllLines(log)
                        .stream().filter(l -> l.startsWith("at ")).toList()) + "\n" + context.get();
            } catch (Exception e) {
                return e.toString();
            }
        });
    }
}
