package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A track script run as {@code script-user} by the daemon with only the capabilities its systemd
 * unit grants plus those systemd/README.md adds for a script user: a run that hangs is killed at
 * its timeout with every process it started, also one it detached, though root without
 * CAP_SYS_PTRACE and CAP_DAC_OVERRIDE may not read another user's /proc/PID/environ by itself.
 */
class ScriptUserIT extends InLab {
    private static final List<String> AS_THE_UNIT = List.of("setpriv",
            "--bounding-set=-all,+net_admin,+net_raw,+setuid,+setgid,+kill", "--inh-caps=-all", "--no-new-privs");

    @Override
    protected void nodes(Lab newLab) throws Exception {
        newLab.node("lb1", 1);
    }

    @Test
    void aHungScriptOfTheScriptUserIsKilledWithWhatItDetached() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.setAttribute(out, "unix:uid", 65534);
        Path script = dir.resolve("hang");
        Files.writeString(script, String.join("\n", "#!/bin/sh",
                "[ -e " + out.resolve("detached.pid") + " ] && exit 0",
                "echo $$ > " + out.resolve("script.pid"),
                "setsid -f sh -c 'echo $$ > " + out.resolve("leader.pid") + "; sleep 1000 & echo $! > "
                        + out.resolve("detached.pid") + "; wait' >/dev/null 2>&1",
                "exec sleep 1000", ""));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = dir.resolve("vipkeeper.conf");
        Files.writeString(conf, String.join("\n", "vipkeeper {", "  api.listen = \"\"", "  script-user = nobody",
                "  vrrp.scripts.chk { command = [\"" + script + "\"], interval = 2s, timeout = 1s }",
                "  vrrp.instances.web { interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.18.1.100/24\"],",
                "    track-scripts = [chk] }", "}", ""));
        List<Long> pids = new ArrayList<>();
        try (JarProcess p = JarProcess.startInVia(lab.ns("lb1"), AS_THE_UNIT, dir, "run", "-f", conf.toString())) {
            p.awaitLog("track script chk is down: timed out");
            for (String f : List.of("script.pid", "leader.pid", "detached.pid")) {
                pids.add(Long.parseLong(Files.readString(out.resolve(f)).strip()));
            }
            Lab.await(15, "every process of the run killed and reaped " + pids,
                    () -> pids.stream().noneMatch(pid -> Files.exists(Path.of("/proc", Long.toString(pid)))));
            assertTrue(p.isAlive(), p.err());
            p.signal("TERM");
            p.waitFor();
        } finally {
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }
}
