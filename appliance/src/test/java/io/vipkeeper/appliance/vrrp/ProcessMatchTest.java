package io.vipkeeper.appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.config.VrrpTrackProcess;
import io.vipkeeper.appliance.config.VrrpTrackProcess.ParamMatch;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which processes a track-process counts, by keepalived's rules. */
class ProcessMatchTest {
    private static VrrpTrackProcess p(List<String> command, ParamMatch match, boolean full) {
        return new VrrpTrackProcess("t", command, match, full, 0, false, 1, Integer.MAX_VALUE, Duration.ZERO,
                Duration.ZERO, Duration.ofSeconds(1));
    }

    private static ProcessMatch.Seen seen(String comm, String... argv) {
        return new ProcessMatch.Seen(comm, List.of(argv));
    }

    @Test
    void aNameMatchesCommExactlyNotAsAPattern() {
        VrrpTrackProcess ssh = p(List.of("ssh"), ParamMatch.NONE, false);
        assertTrue(ProcessMatch.matches(ssh, seen("ssh", "/usr/bin/ssh", "host")));
        assertFalse(ProcessMatch.matches(ssh, seen("sshd", "/usr/sbin/sshd")), "pgrep would, keepalived does not");
        VrrpTrackProcess longName = p(List.of("haproxy-ingress-controller"), ParamMatch.NONE, false);
        assertTrue(ProcessMatch.matches(longName, seen("haproxy-ingress")), "comm keeps 15 characters");
    }

    @Test
    void parametersMatchExactlyPartlyOrByTheirBeginning() {
        ProcessMatch.Seen app = seen("python3", "/usr/bin/python3", "app.py", "--port=8080");
        assertTrue(ProcessMatch.matches(p(List.of("/usr/bin/python3", "app.py", "--port=8080"), ParamMatch.EXACT, false), app));
        assertFalse(ProcessMatch.matches(p(List.of("/usr/bin/python3", "app.py"), ParamMatch.EXACT, false), app));
        assertTrue(ProcessMatch.matches(p(List.of("/usr/bin/python3", "app.py"), ParamMatch.PARTIAL, false), app));
        assertTrue(ProcessMatch.matches(p(List.of("/usr/bin/python3", "app.py", "--port="), ParamMatch.INITIAL, false), app));
        assertFalse(ProcessMatch.matches(p(List.of("/usr/bin/python3", "app.py", "--port="), ParamMatch.PARTIAL, false), app));
        assertFalse(ProcessMatch.matches(p(List.of("python3", "app.py"), ParamMatch.PARTIAL, false), app), "argv[0] as run");
        assertTrue(ProcessMatch.matches(p(List.of("/usr/bin/python3"), ParamMatch.EXACT, false),
                seen("python3", "/usr/bin/python3")), "exact with none: no parameters");
        assertFalse(ProcessMatch.matches(p(List.of("/usr/bin/python3"), ParamMatch.EXACT, false), app));
    }

    @Test
    void fullCommandComparesArgvZeroAndSkipsKernelThreads() {
        VrrpTrackProcess full = p(List.of("/usr/sbin/haproxy"), ParamMatch.NONE, true);
        assertTrue(ProcessMatch.matches(full, seen("haproxy", "/usr/sbin/haproxy", "-f", "/etc/haproxy.cfg")));
        assertFalse(ProcessMatch.matches(full, seen("haproxy", "haproxy")));
        assertFalse(ProcessMatch.matches(full, seen("kworker/0:1")));
    }
}
