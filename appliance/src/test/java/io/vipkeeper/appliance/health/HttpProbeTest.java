package io.vipkeeper.appliance.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The Host header a check sends when no virtual host is configured. */
class HttpProbeTest {
    @Test
    void hostHeaderOfAnAddress() {
        assertEquals("198.18.0.13", HttpProbe.hostHeader(new InetSocketAddress("198.18.0.13", 80), 80));
        assertEquals("198.18.0.13:8080", HttpProbe.hostHeader(new InetSocketAddress("198.18.0.13", 8080), 80));
        assertEquals("[2001:db8::13]", HttpProbe.hostHeader(new InetSocketAddress("2001:db8::13", 443), 443));
        assertEquals("[2001:db8::13]:80", HttpProbe.hostHeader(new InetSocketAddress("2001:db8::13", 80), 443));
    }
}
