package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * vipkeeper.service's SystemCallFilter allows every system call vipkeeper makes. A seccomp filter
 * is only enforced under systemd (DebInstallVmIT boots one); here `check` and a daemon doing all
 * it does in a lab (VRRP on raw sockets, a tracking script and health checks that fork and exec,
 * the API, a reload, a stop) run under strace, and each call it counted must be in the set that
 * `systemd-analyze syscall-filter` expands the unit's filter to.
 */
class SyscallFilterIT extends InLab {
    @Override
    protected void nodes(Lab newLab) throws Exception {
        newLab.node("lb1", 1);
    }

    @Test
    void everySystemCallTheDaemonMakesIsAllowedByTheUnit() throws Exception {
        Set<String> allowed = allowedByUnit(JarProcess.repo().resolve("systemd/vipkeeper.service"));
        // A sanity check of the expansion: the set is systemd's and leaves things out.
        assertTrue(allowed.contains("clone3") && allowed.contains("socket") && !allowed.contains("ptrace"), allowed.toString());

        Path conf = dir.resolve("vipkeeper.conf");
        Files.writeString(conf, """
                vipkeeper {
                  api.listen = "198.18.1.1:9180"
                  vrrp.scripts.alive { command = ["/bin/sh", "-c", "true"], interval = 200ms, timeout = 100ms }
                  vrrp.instances.web {
                    interface = eth0
                    virtual-router-id = 51
                    advert-interval = 100ms
                    track-scripts = [alive]
                    virtual-ips = ["198.18.1.100/24"]
                  }
                  ipvs.virtual-servers.web {
                    address = "198.18.1.100"
                    port = 80
                    health-check { type = tcp, interval = 200ms, timeout = 100ms }
                    real-servers = [
                      { address = "198.18.1.1", port = 9180 }
                      { address = "198.18.1.1", port = 9181, health-check { type = http, http.path = "/status" } }
                      { address = "198.18.1.1", port = 9182, health-check { type = script,
                          script.command = ["/bin/sh", "-c", "exit 1"] } }
                    ]
                  }
                }
                """);
        Set<String> used = new TreeSet<>();
        Path checkTrace = dir.resolve("check.strace");
        try (JarProcess check = JarProcess.startInVia(lab.ns("lb1"), strace(checkTrace), dir, "check", "-f",
                conf.toString())) {
            assertEquals(0, check.waitFor(), check.err());
        }
        used.addAll(calls(checkTrace));

        Path runTrace = dir.resolve("run.strace");
        Path pid = dir.resolve("run/vipkeeper.pid");
        try (JarProcess run = JarProcess.startInVia(lab.ns("lb1"), strace(runTrace), dir, "run", "-f",
                conf.toString(), "--pid-file", pid.toString())) {
            run.awaitLog("web: BACKUP -> MASTER");
            run.awaitLog("status API on");
            Lab.sh("ip", "netns", "exec", lab.ns("lb1"), "curl", "-sS", "--fail", "--max-time", "5",
                    "http://198.18.1.1:9180/status");
            Files.writeString(conf, Files.readString(conf).replace("advert-interval = 100ms", "advert-interval = 200ms"));
            try (JarProcess reload = JarProcess.start(dir, "reload", "--pid-file", pid.toString())) {
                assertEquals(0, reload.waitFor(), reload.err());
            }
            // The daemon under strace is not the process started: signal it by its pid file.
            Lab.sh("kill", "-TERM", Files.readString(pid).strip());
            assertEquals(0, run.waitFor(), run.err());
            assertTrue(run.err().contains("stopped"), run.err());
        }
        used.addAll(calls(runTrace));

        Set<String> refused = new TreeSet<>(used);
        refused.removeAll(allowed);
        System.out.println("system calls made: " + used.size() + ", allowed by the unit: " + allowed.size() + ": " + used);
        assertEquals(Set.of(), refused, "made but not allowed by the unit's SystemCallFilter");
        assertTrue(used.containsAll(List.of("socket", "setsockopt", "clone3", "execve", "epoll_wait")), used.toString());
    }

    /** strace counting every call of the process and all it starts, into {@code out}. */
    private static List<String> strace(Path out) {
        return List.of("strace", "-f", "-qq", "-c", "-o", out.toString());
    }

    /** The call names of an strace -c summary. */
    static Set<String> calls(Path summary) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(summary)) {
            String[] f = line.strip().split("\\s+");
            // "% time seconds usecs/call calls [errors] syscall": numbers, then the name.
            if (f.length >= 5 && f[0].matches("[0-9.]+") && !f[f.length - 1].equals("total")) {
                names.add(f[f.length - 1]);
            }
        }
        assertTrue(!names.isEmpty(), "no calls in " + summary);
        return names;
    }

    /**
     * The calls the unit's SystemCallFilter= lines allow, expanded by systemd-analyze: allow lists
     * add up, a line starting with ~ takes its calls away.
     */
    static Set<String> allowedByUnit(Path unit) throws IOException, InterruptedException {
        Set<String> allowed = new TreeSet<>();
        for (String line : Files.readAllLines(unit)) {
            if (line.startsWith("SystemCallFilter=")) {
                String value = line.substring("SystemCallFilter=".length()).strip();
                boolean deny = value.startsWith("~");
                Set<String> names = new TreeSet<>();
                for (String item : value.replaceFirst("^~", "").split("\\s+")) {
                    names.addAll(item.startsWith("@") ? group(item) : Set.of(item.replaceFirst(":.*", "")));
                }
                if (deny) {
                    allowed.removeAll(names);
                } else {
                    allowed.addAll(names);
                }
            }
        }
        return allowed;
    }

    /** A group's calls, nested groups expanded. */
    private static Set<String> group(String name) throws IOException, InterruptedException {
        Set<String> calls = new TreeSet<>();
        List<String> lines = Lab.sh("systemd-analyze", "syscall-filter", name).lines().skip(1).toList();
        for (String l : lines) {
            String item = l.strip();
            if (item.startsWith("@")) {
                calls.addAll(group(item));
            } else if (!item.isEmpty() && !item.startsWith("#")) {
                calls.add(item);
            }
        }
        return calls;
    }
}
