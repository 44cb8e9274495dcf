package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link HostNetwork#LINUX} against what iproute2 says about the same namespace. */
class HostNetworkTest {
    @Test
    void everyInterfaceIpListsIsKnownDownOrUpWithOrWithoutAnAddress() throws Exception {
        // "1: lo: <LOOPBACK,UP> ...", "5: eth0@if6: ..." (a veth names its peer after the @).
        Set<String> ip = Arrays.stream(run("ip", "-o", "link", "show").split("\n"))
                .map(l -> l.split(": ")[1].split("@")[0]).collect(Collectors.toSet());
        assertEquals(Optional.of(ip), HostNetwork.LINUX.interfaces());
    }

    @Test
    void theLoopbackAddressIsOnLo() {
        assertEquals("lo", HostNetwork.LINUX.addresses().orElseThrow().get(InetAddress.getLoopbackAddress()));
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
