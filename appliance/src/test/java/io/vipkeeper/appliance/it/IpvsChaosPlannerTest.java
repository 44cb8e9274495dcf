package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IPVS fault lab's planning, on the host: a seed always gives the same operations, CI's seed
 * reaches every kind early, every file the lab calls valid loads and every broken one is refused
 * by vipkeeper's own loader (so a violation the lab reports is the daemon's, not the lab's).
 */
class IpvsChaosPlannerTest {
    private static List<IpvsChaosPlanner.Planned> plan(long seed, int n) {
        IpvsChaosPlanner p = new IpvsChaosPlanner(seed, IpvsChaosState.initial());
        List<IpvsChaosPlanner.Planned> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ops.add(p.next());
        }
        return ops;
    }

    @Test
    void aSeedAlwaysGivesTheSameOperations() {
        List<String> a = plan(7, 300).stream().map(p -> p.pauseMillis() + " " + p.op().describe()).toList();
        List<String> b = plan(7, 300).stream().map(p -> p.pauseMillis() + " " + p.op().describe()).toList();
        assertEquals(a, b);
    }

    @Test
    void theCiSeedReachesEveryKindInItsFirstThirtyOperations() {
        Set<String> kinds = new TreeSet<>();
        Set<IpvsChaosOp.NftEdit> edits = new TreeSet<>();
        int reloads = 0;
        for (IpvsChaosPlanner.Planned p : plan(IpvsChaosVmTest.SEED, 30)) {
            kinds.add(p.op().kind().startsWith("foreign") ? "foreign" : p.op().kind());
            if (p.op() instanceof IpvsChaosOp.BrokenReload b) {
                kinds.add(b.variant());
            }
            if (p.op() instanceof IpvsChaosOp.HandNft n && n.table().equals(IpvsChaosExpected.OWN_TABLE)) {
                edits.add(n.edit());
            }
            reloads += p.op() instanceof IpvsChaosOp.Reload ? 1 : 0;
        }
        assertTrue(kinds.containsAll(Set.of("ipvs-delete-service", "ipvs-weight", "ipvs-add-real-server",
                "ipvs-delete-real-server", "ipvs-scheduler", "foreign", "nft", "nft-foreign", "health", "reload", "broken",
                "hup", "usr", IpvsChaosBrokenFiles.EMPTY, IpvsChaosBrokenFiles.HALF_WRITTEN)), kinds.toString());
        assertTrue(edits.size() >= 3 && reloads >= 4, edits + ", " + reloads + " reloads");
    }

    @Test
    void everyValidFileLoadsAndEveryBrokenOneIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("vipkeeper.conf");
        int valid = 0;
        int broken = 0;
        for (IpvsChaosPlanner.Planned p : plan(3, 150)) {
            String text = p.op().after().config().render();
            Files.writeString(file, text);
            assertEquals(IpvsChaosConfig.sha256(text), ConfigLoader.load(file).digest(), p.op().describe());
            valid++;
            if (p.op() instanceof IpvsChaosOp.BrokenReload b) {
                Files.writeString(file, IpvsChaosBrokenFiles.broken(text, b.variant(), b.at()));
                assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file), b.describe());
                broken++;
            }
        }
        for (String variant : IpvsChaosBrokenFiles.VARIANTS) {
            Files.writeString(file, IpvsChaosBrokenFiles.broken(IpvsChaosConfig.initial().render(), variant, 0.999));
            assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file), variant);
        }
        assertTrue(valid == 150 && broken > 5, broken + " broken files");
    }

    @Test
    void theExpectedTablesAreReadBackFromIpvsadmAndNftOutput() throws Exception {
        IpvsChaosConfig c = IpvsChaosConfig.initial();
        String saved = "-A -t 198.18.1.100:80 -s wrr\n-a -t 198.18.1.100:80 -r 198.18.1.11:80 -m -w 1\n"
                + "-a -t 198.18.1.100:80 -r 198.18.1.12:80 -m -w 2\n-A -f 7 -s rr\n-a -f 7 -r 198.18.1.21:0 -g -w 1\n"
                + "-a -f 7 -r 198.18.1.22:0 -g -w 1\n";
        // nft 1.0.6's JSON for the rule vipkeeper writes (SnatRules) over web's two real servers.
        String json = "{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\"}}, {\"table\": {\"family\": \"inet\","
                + " \"name\": \"vipkeeper\", \"handle\": 2}}, {\"chain\": {\"family\": \"inet\", \"table\": \"vipkeeper\","
                + " \"name\": \"postrouting\", \"handle\": 1, \"type\": \"nat\", \"hook\": \"postrouting\", \"prio\": 100,"
                + " \"policy\": \"accept\"}}, {\"rule\": {\"family\": \"inet\", \"table\": \"vipkeeper\", \"chain\":"
                + " \"postrouting\", \"handle\": 3, \"comment\": \"web\", \"expr\": [{\"match\": {\"op\": \"==\", \"left\":"
                + " {\"concat\": [{\"payload\": {\"protocol\": \"ip\", \"field\": \"daddr\"}}, {\"payload\": {\"protocol\":"
                + " \"tcp\", \"field\": \"dport\"}}]}, \"right\": {\"set\": [{\"concat\": [\"198.18.1.12\", 80]},"
                + " {\"concat\": [\"198.18.1.11\", 80]}]}}}, {\"match\": {\"op\": \"==\", \"left\": {\"ct\": {\"key\":"
                + " \"direction\"}}, \"right\": \"original\"}}, {\"masquerade\": null}]}}]}";
        var expected = IpvsChaosExpected.of(new IpvsChaosState(c, new TreeSet<>(IpvsChaosConfig.WEB_SERVERS),
                new java.util.TreeMap<>(), new java.util.TreeMap<>()), "d");
        var actual = new java.util.TreeMap<>(IpvsChaosExpected.ipvsElements(saved));
        IpvsChaosNft.tables(json).forEach((t, v) -> actual.put(IpvsChaosExpected.tableElement(t), v));
        actual.put(IpvsChaosExpected.DIGEST, "d");
        assertEquals(List.of(), IpvsChaosExpected.differences(expected, actual, e -> true));
    }

    @Test
    void runTimesComeFromTheDaemonsDebugLinesAndPausesAreNotRunTime() {
        String log = "2026-12-06 14:29:23.233+0000 INFO  Daemon: reloading /tmp/x.conf\n"
                + "2026-12-06 14:29:24.000+0000 DEBUG DataPlaneManager: ipvs: dump 100 ms, plan 300 ms, 2 change(s) 50 ms\n"
                + "2026-12-06 14:29:30.700+0000 DEBUG DataPlaneManager: ipvs: dump 10 ms, plan 180 ms, 0 change(s) 10 ms\n";
        IpvsChaosRunClock.Runs r = IpvsChaosRunClock.of(log);
        assertEquals(List.of(2L, 450L, 450L, 6500L), List.of((long) r.runs(), r.longestMillis(), r.medianMillis(),
                r.longestPauseMillis()));
        assertEquals(java.time.LocalDateTime.of(2026, 12, 6, 14, 29, 23, 550_000_000), r.spans().get(0).start());
        assertEquals(1, IpvsChaosRunClock.of(log, java.time.LocalDateTime.of(2026, 12, 6, 14, 29, 25)).runs());
    }

    @Test
    void aWindowTakesTheLongestRunThatOverlapsIt() {
        long s = 1_000_000_000L;
        IpvsChaosWindows.Bound run = IpvsChaosWindows.Bound.RUN;
        assertEquals(s, IpvsChaosWindows.Timing.of(List.of()).end(0, run), "no run: one interval, nothing more");
        // A 0.7 s run in progress at the anchor: I + 2R; a 5 s run that starts later is not in it.
        List<long[]> runs = List.of(new long[] {-s / 2, s / 5}, new long[] {10 * s, 15 * s});
        assertEquals(s + 2 * 7 * s / 10, IpvsChaosWindows.Timing.of(runs).end(0, run));
        // A 2 s run that starts inside the first bound widens it, which takes in nothing more.
        runs = List.of(new long[] {-s / 2, s / 5}, new long[] {2 * s, 4 * s});
        assertEquals(5 * s, IpvsChaosWindows.Timing.of(runs).end(0, run));
        assertEquals(0, IpvsChaosWindows.Timing.of(runs).end(0, IpvsChaosWindows.Bound.IMMEDIATE));
    }
}
