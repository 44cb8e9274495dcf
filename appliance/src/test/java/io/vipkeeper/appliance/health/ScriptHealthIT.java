package io.vipkeeper.appliance.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.dataplane.BackendKey;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Script checks from loops inside a namespace: the script sees that namespace (it can probe the
 * backends the other checks see), exit codes and the timeout.
 */
class ScriptHealthIT {
    @TempDir
    Path dir;

    private static String script(int n, String command) {
        return "{ address = \"198.18.4." + n + "\", health-check.script.command = [\"/bin/sh\", \"-c\", \"" + command
                + "\"] }";
    }

    @Test
    void scriptsRunInTheCheckersNamespace() throws Exception {
        try (HealthLab lab = HealthLab.create(); LabMonitor m = new LabMonitor(lab, dir)) {
            lab.address("198.18.4.1/32");
            Map<BackendKey, RealServerHealth> h = m.steadyState("type = script, script.command = [\"/bin/true\"]",
                    script(101, "ip -o addr show | grep -q 198.18.4.1/32"),
                    script(102, "exit 1"),
                    script(103, "sleep 5"));
            assertEquals("exit 0", h.get(HealthMonitorTest.key("198.18.4.101", 80)).lastResult());
            assertEquals("exit 1", h.get(HealthMonitorTest.key("198.18.4.102", 80)).lastResult());
            RealServerHealth slow = h.get(HealthMonitorTest.key("198.18.4.103", 80));
            assertEquals("timeout after 150ms", slow.lastResult());
            assertTrue(slow.lastLatency().toMillis() >= 150, slow.toString());
        }
    }
}
