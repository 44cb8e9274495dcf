package io.vipkeeper.appliance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.api.StatusAssembler;
import io.vipkeeper.appliance.api.StatusSnapshot;
import io.vipkeeper.appliance.pool.InMemoryIpvs;
import io.vipkeeper.appliance.pool.NatSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A status that counts a reload shows that reload's result (or a newer one), never the one before
 * it: a client that waits for the count to rise and then reads the result (the IPVS fault lab, a
 * deploy script) must read the outcome of its own reload. The IPVS fault lab saw "failed: 1" with
 * no last reload under TCG, where a thread can stop between the two writes. Here a reader takes
 * status snapshots as fast as it can while reloads run, and every snapshot is checked afterwards
 * against the results in order.
 */
class ReloadStatusOrderTest {
    private static String config(int weight) {
        return "vipkeeper {\n  log-level = error\n  api.listen = \"\"\n  ipvs {\n    reconcile-interval = 1h\n"
                + "    virtual-servers.web { address = \"198.18.0.1\", port = 80, health-check.type = none,"
                + " real-servers = [{ address = \"198.18.0.2\", weight = " + weight + " }] }\n  }\n}\n";
    }

    @Test
    void aStatusThatCountsAReloadShowsItsResult(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("vipkeeper.conf");
        Files.writeString(conf, config(1));
        InMemoryIpvs kernel = new InMemoryIpvs();
        Daemon daemon = new Daemon(conf, 0, dir.resolve("vipkeeper.pid"), () -> kernel, NatSetup.NONE);
        Thread runner = DaemonThread.start(daemon);
        assertTrue(daemon.awaitStarted(60), "the daemon did not start");
        StatusAssembler status = StatusAssembler.of(daemon);
        AtomicBoolean done = new AtomicBoolean();
        List<long[]> seen = new ArrayList<>(); // reload count, epoch micros of the last result (-1: none)
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                StatusSnapshot.Reloads r = status.snapshot().reloads();
                seen.add(new long[] {r.ok() + r.failed(), r.last() == null ? -1 : micros(Instant.parse(r.last().at()))});
            }
        }, "status-reader");
        reader.start();
        List<Long> results = new ArrayList<>(); // the result of reload n at n - 1
        try {
            for (int i = 0; i < 400; i++) {
                // Every fifth file is empty: the refused path counts and records too.
                Files.writeString(conf, i % 5 == 4 ? "" : config(1 + i % 3));
                daemon.reload();
                // The status says the time to the millisecond; a reload takes longer than one.
                results.add(micros(daemon.lastReload().orElseThrow().at().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
            }
        } finally {
            done.set(true);
            reader.join();
            daemon.stop();
            runner.join(10_000);
        }
        assertEquals(400, daemon.reloadsOk() + daemon.reloadsFailed());
        List<String> stale = new ArrayList<>();
        for (long[] s : seen) {
            if (s[0] > 0 && s[1] < results.get((int) s[0] - 1)) {
                stale.add("count " + s[0] + " with " + (s[1] < 0 ? "no result" : "an earlier result"));
            }
        }
        assertEquals(List.of(), stale.subList(0, Math.min(5, stale.size())), stale.size() + " of " + seen.size()
                + " snapshots counted a reload whose result they did not show yet");
    }

    private static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
    }
}
