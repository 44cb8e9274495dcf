package io.vipkeeper.appliance.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RealServerStateTest {
    private static final String TEXT = String.join("\n",
            "# vipkeeper realserver state: written by `up`, read and deleted by `down`",
            "version 1",
            "vip 198.18.2.10",
            "vip 2001:2::10",
            "original net.ipv4.conf.all.arp_ignore 0",
            "original net.ipv4.conf.eth0/100.arp_announce 1",
            "");

    private static RealServerState state() throws Exception {
        Map<Sysctl, Integer> originals = new LinkedHashMap<>();
        originals.put(Sysctl.ipv4Conf("all", "arp_ignore"), 0);
        originals.put(Sysctl.ipv4Conf("eth0.100", "arp_announce"), 1);
        return new RealServerState(List.of(InetAddress.getByName("198.18.2.10"), InetAddress.getByName("2001:2::10")),
                originals);
    }

    @Test
    void formatIsTheDocumentedText() throws Exception {
        assertEquals(TEXT, state().format());
    }

    @Test
    void parseReadsWhatFormatWrote() throws Exception {
        RealServerState parsed = RealServerState.parse(TEXT, "s");
        assertEquals(state(), parsed);
        assertEquals(List.copyOf(state().originals().keySet()), List.copyOf(parsed.originals().keySet()),
                "down restores in the order up set them");
    }

    @Test
    void blankLinesAndCommentsAreSkipped() throws Exception {
        assertEquals(state(), RealServerState.parse("\n# hand-edited\n" + TEXT.replace("vip ", "  vip ") + "\n\n", "s"));
    }

    @Test
    void everyUnreadableLineIsRefusedWithFileAndLine() {
        assertProblem("version 2\n", "/run/x:1: version 2 is not 1 (written by another vipkeeper release?)");
        assertProblem("vip 198.18.2.10\n", "/run/x:1: expected \"version 1\" first");
        assertProblem("# only a comment\n", "/run/x: empty (no \"version 1\" line)");
        assertProblem("version 1\nvip host.example\n", "/run/x:2: \"host.example\" is not an IP address");
        assertProblem("version 1\n\noriginal net.ipv4.conf.all.arp_ignore one\n", "/run/x:3: \"one\" is not an integer");
        assertProblem("version 1\noriginal kernel.panic 0\n", "/run/x:2: \"kernel.panic\" is not a sysctl under net");
        assertProblem("version 1\noriginal net.ipv4.conf.//.//.x 0\n",
                "/run/x:2: \"net.ipv4.conf.//.//.x\" is not a sysctl under net");
        assertProblem("version 1\nvips 198.18.2.10\n", "/run/x:2: cannot read \"vips 198.18.2.10\"");
        assertProblem("version 1\noriginal net.ipv4.conf.all.arp_ignore\n",
                "/run/x:2: cannot read \"original net.ipv4.conf.all.arp_ignore\"");
    }

    private static void assertProblem(String text, String message) {
        assertEquals(message, assertThrows(RealServerException.class, () -> RealServerState.parse(text, "/run/x"))
                .getMessage());
    }
}
