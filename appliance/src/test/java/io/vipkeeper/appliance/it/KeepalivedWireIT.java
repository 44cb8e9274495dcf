package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import on the wire: keepalived running wire.conf and vipkeeper running its import, each
 * alone in a lab of its own, send the same adverts (version, VRID, priority with the script weight
 * applied, interval, addresses, authentication), as tcpdump decodes them in each node.
 */
class KeepalivedWireIT {
    private static final Path FIXTURE = Path.of("src/test/resources/keepalived/wire.conf").toAbsolutePath();
    /** tcpdump -v's decoding of an advert, from the version on; the IP header (source, TTL) is left out. */
    private static final Pattern ADVERT = Pattern.compile("(VRRPv\\d, Advertisement, vrid (\\d+), .*)");
    /** Long enough for a backup to become master (3 adverts and skew) and for the script's first run. */
    private static final long CAPTURE_MILLIS = 9_000;

    @TempDir
    Path dir;

    @Test
    void keepalivedAndTheImportSendTheSameAdverts() throws Exception {
        Path imported = dir.resolve("imported.conf");
        JarProcess imp = JarProcess.start(dir, "import-keepalived", FIXTURE.toString(), "-o", imported.toString());
        assertEquals(0, imp.waitFor(), imp.err());
        try (Lab ka = Lab.create("198.19.18"); Lab vk = Lab.create("198.19.19")) {
            String kaNs = ka.node("lb", 1);
            String vkNs = vk.node("lb", 1);
            Process kaDump = tcpdump(kaNs, dir.resolve("ka.txt"));
            Process vkDump = tcpdump(vkNs, dir.resolve("vk.txt"));
            Files.createDirectories(dir.resolve("ka"));
            Process keepalived = new ProcessBuilder("ip", "netns", "exec", kaNs, "keepalived", "-n", "-l", "-D", "-P",
                    "-f", FIXTURE.toString(), "-p", dir.resolve("ka/k.pid").toString(), "-r",
                    dir.resolve("ka/v.pid").toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("ka/log").toFile()).start();
            ka.own(keepalived::destroy);
            JarProcess vipkeeper = vk.own(JarProcess.startIn(vkNs, dir, "run", "-f", imported.toString()));
            Thread.sleep(CAPTURE_MILLIS);
            kaDump.destroy();
            vkDump.destroy();
            kaDump.waitFor();
            vkDump.waitFor();
            Map<String, String> fromKeepalived = lastAdverts(dir.resolve("ka.txt"));
            Map<String, String> fromVipkeeper = lastAdverts(dir.resolve("vk.txt"));
            assertEquals(2, fromKeepalived.size(), Files.readString(dir.resolve("ka.txt"))
                    + Files.readString(dir.resolve("ka/log")));
            assertTrue(fromKeepalived.get("51").contains("prio 160"), fromKeepalived.toString());
            assertEquals(fromKeepalived, fromVipkeeper, vipkeeper.log());
        }
    }

    private static Process tcpdump(String ns, Path out) throws Exception {
        return new ProcessBuilder("ip", "netns", "exec", ns, "tcpdump", "-l", "-n", "-v", "-i", "eth0",
                "ip proto 112").redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(out.toFile()).start();
    }

    /** The last advert of each VRID in a capture. */
    private static Map<String, String> lastAdverts(Path capture) throws Exception {
        Map<String, String> last = new TreeMap<>();
        for (String line : Files.readAllLines(capture)) {
            Matcher m = ADVERT.matcher(line);
            if (m.find()) {
                last.put(m.group(2), m.group(1));
            }
        }
        return last;
    }
}
