package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A UDP echo backend in a lab namespace (udp-raw-echo.py): answers each datagram with "NAME
 * CLIENT:PORT", the source it saw, from a raw socket with a checksum it computed, so the answer
 * leaves complete and a rewrite on the way that broke the checksum shows at the receiver.
 */
final class RawUdpEcho {
    private RawUdpEcho() {
    }

    /** Starts the echo {@code name} on {@code address}:{@code port} in {@code ns}, owned by {@code lab}; returns once it listens. */
    static Process start(Lab lab, String ns, String name, String address, int port) throws IOException {
        String script;
        try (InputStream in = RawUdpEcho.class.getResourceAsStream("udp-raw-echo.py")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "python3", "-c", script, name, address, String.valueOf(port))
                .redirectErrorStream(true).start();
        lab.own(p::destroyForcibly);
        assertEquals("ready\n", new String(p.getInputStream().readNBytes(6), StandardCharsets.UTF_8), name + "'s echo started");
        return p;
    }
}
