package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.vipkeeper.appliance.keepalived.KeepalivedImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import on the wire, for every fixture keepalived 2.2.7 runs: keepalived running the file
 * and vipkeeper running its import (config id lb1 for both), each alone in a lab of its own, send
 * the same adverts (version, VRID, priority with the tracking weights applied, interval, addresses,
 * authentication), as tcpdump decodes them in each node. All fourteen labs run at once: process
 * starts are the cost. Both sides run VRRP alone, as the host kernel has no IPVS: keepalived with
 * {@code -P}, and without global_defs' lvs_sync_daemon line (its VRRP child starts the sync daemon,
 * fails to initialise IPVS and dies, respawned every few seconds, sending nothing); vipkeeper runs
 * the import without its {@code ipvs} section (sync daemon included) and {@code data-plane}. The
 * sync daemon sends no adverts; the IPVS tables are compared in the VM.
 */
class KeepalivedWireIT {
    /** The directory of vrrp-features.conf's track_file. */
    private static final Path TRACK_FILE_DIR = Path.of("/run/vipkeeper-fixture");
    /** Bound for every node to send an advert of every VRID (a backup becomes master after 3 adverts and skew). */
    private static final double FIRST_ADVERTS_SECONDS = 120;
    /** After that, time for the tracked scripts' first results (rise 2 of a 2 s script) to reach the priority. */
    private static final long SETTLE_MILLIS = 6_000;

    @TempDir
    Path dir;

    @Test
    void keepalivedAndTheImportSendTheSameAdvertsForEveryFixture() throws Exception {
        boolean madeTrackDir = Files.notExists(TRACK_FILE_DIR);
        Files.createDirectories(TRACK_FILE_DIR);
        List<Lab> labs = new ArrayList<>();
        Map<WireFixture, Run> runs = new LinkedHashMap<>();
        try {
            for (WireFixture f : WireFixture.ALL) {
                runs.put(f, start(f, labs));
            }
            try {
                Lab.await(FIRST_ADVERTS_SECONDS, "an advert of every VRID from every node", () -> runs.entrySet()
                        .stream().allMatch(e -> e.getValue().sent(e.getKey())));
            } catch (AssertionError e) {
                StringBuilder seen = new StringBuilder(e.getMessage());
                for (Map.Entry<WireFixture, Run> r : runs.entrySet()) {
                    seen.append("\n").append(r.getKey()).append(" (VRIDs ").append(r.getKey().vrids())
                            .append("): keepalived sent ").append(r.getValue().keepalived.lastAdverts().keySet())
                            .append(", vipkeeper ").append(r.getValue().vipkeeper.lastAdverts().keySet());
                }
                throw new AssertionError(seen.toString(), e);
            }
            Thread.sleep(SETTLE_MILLIS);
            for (Run r : runs.values()) {
                r.keepalived.close();
                r.vipkeeper.close();
            }
            for (Map.Entry<WireFixture, Run> e : runs.entrySet()) {
                Run r = e.getValue();
                Map<String, String> fromKeepalived = r.keepalived.lastAdverts();
                assertEquals(e.getKey().vrids(), fromKeepalived.keySet(), e.getKey() + ": " + r.keepalived.text());
                assertEquals(fromKeepalived, r.vipkeeper.lastAdverts(), e.getKey() + ": keepalived's adverts, then "
                        + "vipkeeper's running the import; vipkeeper's log:\n" + r.log.log());
            }
        } finally {
            labs.forEach(Lab::close);
            if (madeTrackDir) {
                try (var files = Files.list(TRACK_FILE_DIR)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(TRACK_FILE_DIR);
            }
        }
    }

    /** One fixture's two captures and vipkeeper's process (for its log). */
    private record Run(AdvertCapture keepalived, AdvertCapture vipkeeper, JarProcess log) {
        boolean sent(WireFixture f) {
            try {
                return keepalived.lastAdverts().keySet().containsAll(f.vrids())
                        && vipkeeper.lastAdverts().keySet().containsAll(f.vrids());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Run start(WireFixture f, List<Lab> labs) throws Exception {
        String name = f.file().replace(".conf", "");
        Path own = Files.createDirectories(dir.resolve(name));
        Path imported = own.resolve("imported.conf");
        Files.writeString(imported, vrrpOnly(KeepalivedImport.run(f.path(), "lb1").config()));
        Lab ka = Lab.create(f.subnet());
        labs.add(ka);
        Lab vk = Lab.create(f.subnet());
        labs.add(vk);
        String kaNs = f.node(ka);
        String vkNs = f.node(vk);
        AdvertCapture kaDump = ka.own(AdvertCapture.start(kaNs, own.resolve("ka.txt")));
        AdvertCapture vkDump = vk.own(AdvertCapture.start(vkNs, own.resolve("vk.txt")));
        Process keepalived = new ProcessBuilder("ip", "netns", "exec", kaNs, "keepalived", "-n", "-l", "-D", "-P",
                "--config-id", "lb1", "-f", withoutSyncDaemon(f.path(), own).toString(), "-p",
                own.resolve("k.pid").toString(), "-r", own.resolve("v.pid").toString()).redirectErrorStream(true)
                .redirectOutput(own.resolve("keepalived.log").toFile()).start();
        ka.own(keepalived::destroy);
        JarProcess vipkeeper = vk.own(JarProcess.startIn(vkNs, own, "run", "-f", imported.toString()));
        return new Run(kaDump, vkDump, vipkeeper);
    }

    /**
     * The fixture itself, or when it starts IPVS's sync daemon a copy beside it without that line
     * (the fixture's includes are relative to its directory; the one that has the line includes nothing).
     */
    private static Path withoutSyncDaemon(Path fixture, Path dir) throws Exception {
        List<String> lines = Files.readAllLines(fixture);
        List<String> kept = lines.stream().filter(l -> !l.strip().startsWith("lvs_sync_daemon")).toList();
        if (kept.size() == lines.size()) {
            return fixture;
        }
        return Files.write(dir.resolve("keepalived.conf"), kept);
    }

    /** The import without its virtual servers and data-plane choice: the VRRP part, as keepalived -P runs. */
    private static String vrrpOnly(String imported) {
        Config c = ConfigFactory.parseString(imported).withoutPath("vipkeeper.ipvs").withoutPath("vipkeeper.data-plane");
        return c.root().render(ConfigRenderOptions.defaults().setOriginComments(false));
    }
}
