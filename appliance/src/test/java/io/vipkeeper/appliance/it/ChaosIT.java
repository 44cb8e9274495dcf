package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A fixed-seed slice of the fault lab ({@link ChaosLab}) in every {@code mvn verify}: two minutes
 * of random reloads, broken files, signals, kills, link faults, partitions, loss, burners, forged
 * adverts and deleted VIPs against a vipkeeper pair. It runs the lab as {@code vagrant/lab/chaos}
 * does, in its own JVM at the daemons' nice -10 (an observer at the build's priority missed
 * samples for up to a second on a busy machine), and fails on its exit status: the report above
 * the failure names the violation and the seed that replays it. Seed 208's first 40 operations
 * hold every kind, every reload effect and the empty and half-written files. Adverts every 300 ms:
 * on the shared build machine (load 8 to 22 from other runs' VMs) the daemons, even at nice -10,
 * missed adverts for longer than the 361 ms Master_Down_Interval of 100 ms adverts; longer runs at
 * 100 ms are the script's job.
 */
class ChaosIT {
    @Test
    void aSeededSliceOfTheFaultLabKeepsEveryInvariant() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("nice", "-n", "-10"));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-cp", Path.of("target/test-classes").toAbsolutePath() + ":" + JarProcess.jar().toAbsolutePath(),
                "-Dvipkeeper.jar=" + JarProcess.jar().toAbsolutePath(),
                "-Dvipkeeper.conf.dir=" + JarProcess.repo().resolve("conf"), "-Dvipkeeper.nice=-10",
                ChaosLab.class.getName(), "--seed", "208", "--duration", "2m", "--interval", "300ms"));
        Process lab = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // Copied line by line: failsafe reads the test JVM's own stdout, so the lab may not write to it.
        // The lab's verdict lines also go into the failure message: CI shows a build's summary, not its whole output.
        List<String> verdict = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread copy = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(lab.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8)).lines().forEach(line -> {
                    System.out.println(line);
                    if (line.startsWith("chaos: VIOLATION") || line.startsWith("chaos: seed ")
                            || line.contains("machine stall") || line.startsWith("chaos: the lab failed")) {
                        verdict.add(line);
                    }
                }), "chaos-output");
        copy.start();
        try {
            if (!lab.waitFor(8, TimeUnit.MINUTES)) {
                throw new AssertionError("the fault lab did not finish within 8 minutes");
            }
            copy.join(10_000);
            assertEquals(0, lab.exitValue(), () -> "the fault lab's report above names the violation and its seed:\n"
                    + String.join("\n", verdict));
        } finally {
            lab.destroy(); // SIGTERM: its shutdown hook removes the namespaces and processes it made
            if (!lab.waitFor(30, TimeUnit.SECONDS)) {
                lab.destroyForcibly();
            }
        }
    }
}
