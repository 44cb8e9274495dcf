package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.api.StatusSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * track-files in a pair: an operator (or a monitoring agent) writes a number into a file and the
 * master's priority follows at once, without any script run: lower than the backup's moves the
 * VIP, below -253 is a FAULT, and status shows what the file adds. The notify programs hear it:
 * notify-master on becoming master, notify-script on each transition and, with
 * notify-priority-changes, on each change of the priority.
 */
class TrackFileIT extends SubnetPair {
    TrackFileIT() {
        super("198.19.62");
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces the file's content by a rename, as reference.conf advises. */
    private void write(Path file, String value) throws Exception {
        Path next = Files.writeString(dir.resolve("load.new"), value + "\n");
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void theValueTimesTheWeightMovesTheVipAndFaults() throws Exception {
        Path load = dir.resolve("load");
        Path notified = dir.resolve("notified");
        Path notify = dir.resolve("notify.sh");
        Files.writeString(notify, "#!/bin/sh\necho \"$3 $4\" >> " + notified + "\n");
        Path master = dir.resolve("master.sh");
        Files.writeString(master, "#!/bin/sh\necho \"master $#\" >> " + notified + "\n");
        notify.toFile().setExecutable(true);
        master.toFile().setExecutable(true);
        JarProcess lb1 = startLb1WithApi("track-files.load { file = \"" + load + "\", weight = -30 }",
                "track-files = [\"load\"]\nnotify-script = \"" + notify + "\"\nnotify-priority-changes = true\n"
                        + "notify-master = \"" + master + "\"");
        JarProcess lb2 = start("lb2", 100, "");
        lb1.awaitLog("vi_1: BACKUP -> MASTER");
        Lab.await(5, "lb1 holds the VIP (a missing file counts 0)", () -> has("lb1"));
        LabApi api = new LabApi(lab);

        write(load, "2");
        lb1.awaitLog("vi_1: effective priority 150 -> 90");
        lb2.awaitLog("vi_1: BACKUP -> MASTER (preempt)");
        Lab.await(5, "lb1 lets go", () -> !has("lb1"));
        StatusSnapshot.Instance i = api.status("lb1", 1).vrrpInstances().get(0);
        assertEquals(90, i.effectivePriority());
        assertEquals(Map.of("track-file load", -60), i.tracking());
        Lab.await(5, "notified of the priority change, then of BACKUP", () -> lines(notified).contains("BACKUP 90"));
        List<String> told = lines(notified);
        assertEquals(List.of("BACKUP 150", "master 0", "MASTER 150", "MASTER 90", "BACKUP 90"),
                told.subList(0, told.indexOf("BACKUP 90") + 1));

        write(load, "0");
        lb1.awaitLog("vi_1: BACKUP -> MASTER (preempt)");
        Lab.await(5, "lb1 holds the VIP again", () -> has("lb1"));
        assertTrue(api.status("lb1", 1).vrrpInstances().get(0).tracking().isEmpty());

        write(load, "9"); // 9 * -30 = -270, below -253
        lb1.awaitLog("vi_1: MASTER -> FAULT");
        assertTrue(api.status("lb1", 1).vrrpInstances().get(0).faults().get("track-file load").contains("holds 9"));
        Lab.await(5, "lb2 takes over", () -> has("lb2"));

        Files.delete(load);
        lb1.awaitLog("vi_1: FAULT -> BACKUP");
        lb1.awaitLog("vi_1: BACKUP -> MASTER (preempt)", 2);
    }
}
