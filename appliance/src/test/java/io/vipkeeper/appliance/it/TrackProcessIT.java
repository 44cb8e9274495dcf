package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.appliance.api.StatusSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * track-processes in a pair: the master tracks a real process (a copy of sleep under a name of
 * its own, so nothing else on the host matches); when it dies the master's priority drops below
 * the backup's and the VIP moves, when it runs again it comes back; status shows the weight.
 */
class TrackProcessIT extends SubnetPair {
    TrackProcessIT() {
        super("198.19.63");
    }

    private Process tracked;

    @AfterEach
    void stopTracked() {
        if (tracked != null) {
            tracked.destroyForcibly();
        }
    }

    private Process run(Path program) throws Exception {
        return new ProcessBuilder(program.toString(), "600").start();
    }

    @Test
    void theVipFollowsTheTrackedProcess() throws Exception {
        // comm holds 15 characters: a name unique to this run.
        String name = ("vktp" + ProcessHandle.current().pid() + "xxxxxxxxxxx").substring(0, 15);
        Path program = dir.resolve(name);
        Files.copy(Path.of("/bin/sleep"), program, StandardCopyOption.COPY_ATTRIBUTES);
        tracked = run(program);
        JarProcess lb1 = startLb1WithApi("track-processes.worker { process = [\"" + name
                + "\"], weight = -60, interval = 200ms, terminate-delay = 300ms }", "track-processes = [\"worker\"]");
        JarProcess lb2 = start("lb2", 100, "");
        lb1.awaitLog("track-process worker: 1 matching, up");
        lb1.awaitLog("vi_1: BACKUP -> MASTER");
        Lab.await(5, "lb1 holds the VIP", () -> has("lb1"));

        tracked.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        lb1.awaitLog("vi_1: effective priority 150 -> 90");
        lb2.awaitLog("vi_1: BACKUP -> MASTER (preempt)");
        Lab.await(5, "lb1 lets go", () -> !has("lb1"));
        StatusSnapshot.Instance i = new LabApi(lab).status("lb1", 1).vrrpInstances().get(0);
        assertEquals(Map.of("track-process worker", -60), i.tracking());

        tracked = run(program);
        lb1.awaitLog("vi_1: effective priority 90 -> 150");
        lb1.awaitLog("vi_1: BACKUP -> MASTER (preempt)");
        Lab.await(5, "lb1 holds the VIP again", () -> has("lb1"));
    }
}
