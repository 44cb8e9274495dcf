package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code vagrant/lab/ecmp-demo} as an operator runs it on this host (nftables): exit 0 and every
 * step of the story told, with its figures; nothing of the lab left behind, also after a Ctrl-C in
 * the middle. (BgpEcmpVmTest runs the same story on IPVS in the VM.)
 */
class BgpEcmpDemoIT {
    @Test
    void theEcmpDemoTellsTheWholeStory() throws Exception {
        Path repo = JarProcess.repo();
        Set<String> before = namespaces();
        Shell.Result r = Shell.stream(List.of(repo.resolve("vagrant/lab/ecmp-demo").toString(), "--connections", "20"), repo);
        String out = r.output();
        assertEquals(0, r.code(), "exit code of vagrant/lab/ecmp-demo; output above");
        String ms = "\\d+ ms";
        for (String step : List.of("lab \\(nftables, forwarding = dr, scheduler = mh\\): router 198\\.19\\.90\\.1",
                "router's nexthops for 198\\.19\\.91\\.100: \\[198\\.19\\.90\\.2\\d, 198\\.19\\.90\\.2\\d, 198\\.19\\.90\\.2\\d\\], all three " + ms,
                "60 new connections: answers \\{web1=\\d+, web2=\\d+, web3=\\d+\\}; packets by director \\{d1=[1-9]\\d*, d2=[1-9]\\d*, d3=[1-9]\\d*\\}",
                "20 long-lived connections to 198\\.19\\.91\\.100:9000 open",
                "d1: vipkeeper killed with SIGKILL",
                "router withdrew d1 " + ms + " after the kill",
                "after d1's loss: 20 of 20 answer from the same backend, 0 from another, 0 broken .*nf_conntrack_tcp_loose = 1",
                "d1 announced again " + ms + " after its start",
                "after d1's return: 20 of 20 answer from the same backend, 0 from another, 0 broken",
                "every director picks the same backend, \\{",
                "web2 fails",
                "after " + ms + " no director picks web2 and all agree again",
                "after " + ms + " every director picks web2 again and all agree",
                "demo passed")) {
            assertTrue(Pattern.compile(step).matcher(out).find(), "missing: " + step);
        }
        assertTrue(!out.contains("FAILED"), out);
        Set<String> left = namespaces();
        left.removeAll(before);
        assertEquals(Set.of(), left, "namespaces the demo left");
        Shell.Result processes = Shell.tryRun("pgrep", "-af", "vk-ecmp-demo|vk-frr-");
        assertEquals(1, processes.code(), "processes the demo left: " + processes.output());
    }

    @Test
    void ctrlCInTheMiddleCleansUpEverything() throws Exception {
        Set<String> before = namespaces();
        // SIGINT back to its default first: a harness started in the background (a non-interactive
        // shell's `cmd &`) passes it on ignored, and a JVM that starts with SIGINT ignored leaves it
        // so, as a terminal's Ctrl-C never is.
        Process p = new ProcessBuilder("env", "--default-signal=INT",
                JarProcess.repo().resolve("vagrant/lab/ecmp-demo").toString()).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.contains("router's nexthops for")) {
                    // FRR in four namespaces, three daemons' JVMs, the backends' servers: all running now.
                    // The script execs java, so its pid is the story's JVM, as a terminal's Ctrl-C reaches it.
                    Shell.run("kill", "-INT", Long.toString(p.pid()));
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), output.toString());
        assertEquals(130, p.exitValue(), output.toString());
        assertTrue(output.toString().contains("interrupted: cleaning up"), output.toString());
        Set<String> left = namespaces();
        left.removeAll(before);
        assertEquals(Set.of(), left, "namespaces left after Ctrl-C");
        Shell.Result processes = Shell.tryRun("pgrep", "-af", "vk-ecmp-demo|vk-frr-");
        assertEquals(1, processes.code(), "processes left after Ctrl-C: " + processes.output());
    }

    /** The labs' namespaces (Lab names them vk...): what the demo makes; others on the host are not its. */
    private static Set<String> namespaces() {
        Set<String> names = new TreeSet<>();
        for (String line : Shell.run("ip", "netns", "list").split("\n")) {
            if (line.startsWith("vk")) {
                names.add(line.split(" ")[0]);
            }
        }
        return names;
    }
}
