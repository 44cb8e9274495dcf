package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddressesTest {
    @Test
    void literalsOnlyNeverHostNames() {
        assertTrue(Addresses.parse("198.18.0.1").isPresent());
        assertTrue(Addresses.parse("2001:db8::1").isPresent());
        assertEquals(Optional.empty(), Addresses.parse("localhost"));
        assertEquals(Optional.empty(), Addresses.parse("198.18.0.256"));
        assertEquals(Optional.empty(), Addresses.parse("fe80::1%eth0"));
    }

    @Test
    void prefixes() {
        assertEquals("198.18.0.100/24", Addresses.parsePrefix("198.18.0.100/24").orElseThrow().toString());
        assertEquals("198.18.0.100/32", Addresses.parsePrefix("198.18.0.100").orElseThrow().toString());
        assertEquals("2001:db8::1/128", Addresses.parsePrefix("2001:db8:0::1").orElseThrow().toString());
        assertEquals(Optional.empty(), Addresses.parsePrefix("198.18.0.100/33"));
        assertEquals(Optional.empty(), Addresses.parsePrefix("198.18.0.100/"));
        assertEquals(Optional.empty(), Addresses.parsePrefix("2001:db8::1/129"));
    }

    @Test
    void socketAddresses() {
        assertEquals("198.18.0.1:80", Addresses.format(Addresses.parseSocket("198.18.0.1:80").orElseThrow()));
        assertEquals("[2001:db8::1]:80", Addresses.format(Addresses.parseSocket("[2001:db8::1]:80").orElseThrow()));
        assertEquals(Optional.empty(), Addresses.parseSocket("2001:db8::1:80"));
        assertEquals(Optional.empty(), Addresses.parseSocket("198.18.0.1:0"));
        assertEquals(Optional.empty(), Addresses.parseSocket("198.18.0.1"));
    }
}
