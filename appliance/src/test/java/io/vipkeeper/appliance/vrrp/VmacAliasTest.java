package io.vipkeeper.appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lower link's ARP sysctls as a vmac's alias records them, and what is not such an alias. */
class VmacAliasTest {
    @Test
    void theValuesComeBackForTheirLowerLinkOnly() {
        Map<String, Integer> values = new LinkedHashMap<>();
        values.put("arp_ignore", 0);
        values.put("arp_filter", 0);
        values.put("arp_announce", 1);
        String text = VmacAlias.text("eth0", values);
        assertEquals("vipkeeper-vmac lower=eth0 arp_ignore=0 arp_filter=0 arp_announce=1", text);
        assertEquals(Optional.of(values), VmacAlias.parse(text + "\n", "eth0"));
        assertEquals(Optional.empty(), VmacAlias.parse(text, "eth1"));
    }

    @Test
    void anyOtherAliasIsNotOurs() {
        for (String alias : new String[] {"", "uplink to the core", "vipkeeper-vmac lower=eth0 arp_ignore=x",
                "vipkeeper-vmac lower=eth0 arp_ignore=12345678901", "vipkeeper-vmac lower=eth0; arp_ignore=1",
                "vipkeeper-vmac lower=eth0 arp_ignore=999999999", "vipkeeper-vmac lower=eth0 arp_announce=-7",
                "vipkeeper-vmac lower=eth0 arp_filter=2", "vipkeeper-vmac lower=eth0 rp_filter=1"}) {
            assertEquals(Optional.empty(), VmacAlias.parse(alias, "eth0"), alias);
        }
    }
}
