package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's demo command, {@code vagrant/demo}, as a newcomer runs it: here (no IPVS in this
 * kernel) on the nftables data plane in this kernel, and with {@code --data-plane ipvs} in the
 * real-IPVS VM (booted for it). Every step of the story must be told.
 */
class DemoIT {
    @Test
    void theFailoverDemoTellsTheWholeStory() throws Exception {
        String out = demo();
        assertTrue(out.contains("| data plane: nftables (data-plane = nftables)"), out);
        assertTrue(out.contains("web1, web2: HTTP server on :80 (NAT"), out);
    }

    @Test
    void theIpvsDemoTellsTheWholeStoryInTheVm() throws Exception {
        String out = demo("--data-plane", "ipvs");
        assertTrue(out.contains("web1, web2: VIP on lo"), out);
        assertTrue(out.contains("| data plane: ipvs ("), out);
    }

    private static String demo(String... args) throws Exception {
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
