package io.vipkeeper.appliance.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tcpdump -v on every interface of a lab node (eth0, eth1 and a virtual MAC's macvlan), VRRP only,
 * to a file; {@link #lastAdverts} reads back the last advert of each VRID as tcpdump decodes it.
 */
final class AdvertCapture implements AutoCloseable {
    /** tcpdump -v's decoding of an advert, from the version on; the IP header (source, TTL) is left out. */
    private static final Pattern ADVERT = Pattern.compile("(VRRPv\\d, Advertisement, vrid (\\d+), .*)");
    private final Process tcpdump;
    private final Path file;

    private AdvertCapture(Process tcpdump, Path file) {
        this.tcpdump = tcpdump;
        this.file = file;
    }

    static AdvertCapture start(String ns, Path file) throws IOException {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "tcpdump", "-l", "-n", "-v", "-i", "any",
                "ip proto 112").redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(file.toFile()).start();
        return new AdvertCapture(p, file);
    }

    /** The last advert of each VRID captured so far, by VRID. */
    Map<String, String> lastAdverts() throws IOException {
        Map<String, String> last = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            Matcher m = ADVERT.matcher(line);
            if (m.find()) {
                last.put(m.group(2), m.group(1));
            }
        }
        return last;
    }

    /** The lines captured (for failure messages). */
    String text() {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        tcpdump.destroy();
        tcpdump.waitFor();
    }
}
