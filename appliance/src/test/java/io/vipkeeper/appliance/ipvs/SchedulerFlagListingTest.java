package io.vipkeeper.appliance.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.SchedulerFlag;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.dataplane.TrafficCounters;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scheduler flags in both listings, text and JSON, named as ipvsadm names them, whatever the engine read. */
class SchedulerFlagListingTest {
    private static final ServiceKey WEB = ServiceKey.of(TransportProtocol.TCP, NetUtil.createInetAddressFromIpAddressString(
            "198.18.246.102"), 80);

    private static ActualService service(String scheduler, int flags) {
        return new ActualService(new ServiceSpec(WEB, scheduler, flags, 0, 0xffffffffL), Map.of(), TrafficCounters.ZERO);
    }

    private static String line(ActualService s) {
        return IpvsListing.format("v", List.of(s), false).lines().filter(l -> l.startsWith("TCP")).findFirst().orElseThrow();
    }

    @Test
    void flagsAreNamedAsIpvsadmNamesThem() {
        assertEquals("TCP  198.18.246.102:80 sh (sh-port)", line(service("sh", SchedulerFlag.SH_PORT.bit())).strip());
        assertEquals("TCP  198.18.246.102:80 mh (mh-fallback,mh-port)", line(service("mh",
                SchedulerFlag.MH_FALLBACK.bit() | SchedulerFlag.MH_PORT.bit())).strip());
        assertEquals("TCP  198.18.246.102:80 sh", line(service("sh", 0)).strip());
    }

    @Test
    void aDriftedServiceKeepsItsFlagNames() {
        String line = line(service("sh (drifted: dr table out of date)", SchedulerFlag.SH_PORT.bit()));
        assertTrue(line.endsWith("(drifted: dr table out of date) (sh-port)"), line);
    }

    @Test
    void aBitTheSchedulerNamesNothingForIsStillShown() {
        assertEquals(List.of("flag-2"), SchedulerFlag.names(0x10, "rr"));
        assertEquals(List.of("sh-fallback", "flag-3"), SchedulerFlag.names(0x08 | 0x20, "sh"));
    }

    @Test
    void jsonNamesTheFlagsBesideTheBits() {
        Map<String, Object> json = IpvsJson.service(service("sh (drifted: edited)", SchedulerFlag.SH_PORT.bit()));
        assertEquals(16, json.get("flags"));
        assertEquals(List.of("sh-port"), json.get("schedulerFlags"));
    }
}
