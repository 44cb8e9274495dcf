package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's demo command, {@code vagrant/demo}, as a newcomer runs it: here (no IPVS in this
 * kernel) on the nftables data plane in this kernel. Every step of the story must be told. With
 * {@code --data-plane ipvs} it runs inside the one boot of the real-IPVS VM (FailoverDemoVmTest,
 * where the kernel has IPVS and the demo runs its lab there), not in a boot of its own: that boot
 * cost CI about three minutes; the boot path itself is IpvsVmIT's.
 */
class DemoIT {
    @Test
    void theFailoverDemoTellsTheWholeStory() throws Exception {
        String out = demo();
        assertTrue(out.contains("| data plane: nftables (data-plane = nftables)"), out);
        assertTrue(out.contains("web1, web2: HTTP server on :80 (NAT"), out);
    }

    /**
     * Ctrl-C in the middle of the demo's lab (vagrant/lab/failover-demo; the engine makes no
     * difference to its cleanup): it says so, exits 130 and leaves no namespace and no process
     * behind.
     */
    @Test
    void ctrlCCleansUpEverything() throws Exception {
        Path repo = JarProcess.repo();
        // SIGINT back to its default first: a harness started in the background (a non-interactive
        // shell's `cmd &`) passes it on ignored, and bash cannot trap a signal ignored at its start.
        Process p = new ProcessBuilder("env", "--default-signal=INT", repo.resolve("vagrant/lab/failover-demo").toString(),
                "--data-plane", "nftables").redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.contains("web1, web2: HTTP server on :80")) {
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

    /** Runs {@code vagrant/demo ARGS} to its end and checks the whole story; its output. */
    static String demo(String... args) throws Exception {
        Path repo = JarProcess.repo();
        List<String> cmd = new java.util.ArrayList<>(List.of(repo.resolve("vagrant/demo").toString()));
        cmd.addAll(List.of(args));
        Shell.Result r = Shell.stream(cmd, repo);
        assertEquals(0, r.code(), "exit code of vagrant/demo; output above");
        String out = r.output();
        String ms = "\\d+ ms";
        for (String step : List.of("IPVS: this kernel \\(.*\\) (has it|has no IPVS|has none)",
                "lab: lb1 198\\.18\\.0\\.11, lb2 198\\.18\\.0\\.12, web1 198\\.18\\.0\\.21, web2 198\\.18\\.0\\.22, client 198\\.18\\.0\\.31",
                "web1, web2: (VIP on lo|HTTP server on :80)",
                "lb1 is MASTER \\(priority 150\\) and holds 198\\.18\\.0\\.100; lb2 is BACKUP",
                "client -> 198\\.18\\.0\\.100: web[12] \\d+, web[12] \\d+ \\(round robin",
                "\\| web +MASTER +eth1 +51 +150 ",
                "\\|   -> 198\\.18\\.0\\.21:80 +up ",
                "lb1 fails: its link goes down",
                "lb2 is MASTER " + ms + " after the failure",
                "answered again through lb2; outage \\d+\\.\\d\\d s .*since then web[12] \\d+, web[12] \\d+",
                "lb1 is MASTER again after " + ms,
                "web[12] \\d+, web[12] \\d+ since the preemption; longest gap between answers during it \\d+\\.\\d\\d s",
                "demo passed")) {
            assertTrue(Pattern.compile(step).matcher(out).find(), "missing: " + step);
        }
        assertTrue(!out.contains("Killed") && !out.contains("FAILED"), out);
        return out;
    }
}
