package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import io.vipkeeper.appliance.vm.VmSuite;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C in the middle of the demo's lab (vagrant/lab/failover-demo, in the real-IPVS kernel):
 * it says so, exits 130 and leaves no namespace and no process behind. (DemoIT runs it to the end.)
 */
@Tag(VmSuite.TAG)
class FailoverDemoVmTest {
    @Test
    void ctrlCCleansUpEverything() throws Exception {
        Path repo = JarProcess.repo();
        Process p = new ProcessBuilder(repo.resolve("vagrant/lab/failover-demo").toString())
                .redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.contains("web1, web2: VIP on lo")) {
                    // The web servers and both daemons' JVMs are running in the lab's namespaces now.
                    assertTrue(Shell.run("ip", "netns", "list").contains("vkdemo-lb1"), output.toString());
                    Shell.run("kill", "-INT", Long.toString(p.pid()));
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), output.toString());
        assertEquals(130, p.exitValue(), output.toString());
        assertTrue(output.toString().contains("interrupted: cleaning up"), output.toString());
        assertTrue(!Shell.run("ip", "netns", "list").contains("vkdemo"), Shell.run("ip", "netns", "list"));
        Shell.Result left = Shell.tryRun("pgrep", "-af", "vkdemo|vagrant/lb\\.conf");
        assertEquals(1, left.code(), "processes left: " + left.output());
    }
}
