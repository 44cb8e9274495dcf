package io.vipkeeper.appliance.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Numbers outside the ranges keepalived's parser (vrrp_parser.c) takes: the import carries what
 * keepalived then runs, not the number on the line, and says so at the line.
 */
class KeepalivedRangesImportTest extends ImportTestBase {
    /** One instance; what {@link #vip} adds after its address starts on line 8. */
    private Config instance(String body) throws Exception {
        return run("vrrp_instance A {\n interface eth0\n virtual_router_id 51\n version 3\n"
                + " virtual_ipaddress {\n" + body + " }\n}\n").getConfig("vrrp.instances.A");
    }

    private boolean fallbackAt(int line, String keyword) {
        return result.notes().stream().anyMatch(n -> n.kind() == Notes.Kind.FALLBACK && n.origin().line() == line
                && n.keyword().equals(keyword));
    }

    private static String vip(String rest) {
        return "  198.18.0.1/24\n }\n" + rest + " virtual_ipaddress {\n";
    }

    @Test
    void aPreemptDelayAboveAThousandSecondsIsNoDelayAsInKeepalived() throws Exception {
        Config c = instance(vip(" preempt_delay 2000\n"));
        assertEquals(Duration.ZERO, c.getDuration("preempt-delay"));
        assertTrue(fallbackAt(8, "preempt_delay"), notes().toString());
        assertEquals(Duration.ofSeconds(1000), instance(vip(" preempt_delay 1000\n")).getDuration("preempt-delay"));
    }

    @Test
    void anAdvertIntervalOutsideTenMillisecondsTo255SecondsIsIgnoredAsInKeepalived() throws Exception {
        assertEquals(Duration.ofSeconds(1), instance(vip(" advert_int 0.005\n")).getDuration("advert-interval"));
        assertTrue(fallbackAt(8, "advert_int"), notes().toString());
        assertEquals(Duration.ofSeconds(1), instance(vip(" advert_int 300\n")).getDuration("advert-interval"));
        assertTrue(fallbackAt(8, "advert_int"), notes().toString());
        assertEquals(Duration.ofMillis(10), instance(vip(" advert_int 0.01\n")).getDuration("advert-interval"));
    }

    @Test
    void aBadPriorityIsKeepalivedsDefaultNotAnEarlierLine() throws Exception {
        assertEquals(100, instance(vip(" priority 150\n priority 300\n")).getInt("priority"));
        assertTrue(fallbackAt(9, "priority"), notes().toString());
    }

    @Test
    void garpRepeatZeroIsOneAndAboveVipkeepersLimitIsNoted() throws Exception {
        assertEquals(1, instance(vip(" garp_master_repeat 0\n")).getInt("garp.master-repeat"));
        assertTrue(fallbackAt(8, "garp_master_repeat"), notes().toString());
        assertEquals(255, instance(vip(" garp_master_repeat 1000\n")).getInt("garp.master-repeat"));
        assertTrue(notes().stream().anyMatch(n -> n.startsWith("k.conf:8: garp_master_repeat: note: keepalived "
                + "sends 1000")), notes().toString());
    }

    /** A script and a process of weight {@code w}, tracked by instance A of {@code priority}; A opens on line 7. */
    private Config tracked(int priority, int w) throws Exception {
        return run("vrrp_script chk {\n script /bin/true\n weight " + w + "\n}\n"
                + "vrrp_track_process hap {\n process haproxy\n weight " + w + "\n}\n"
                + "vrrp_instance A {\n interface eth0\n virtual_router_id 51\n priority " + priority + "\n"
                + " virtual_ipaddress {\n  198.18.0.1/24\n }\n track_script {\n  chk\n }\n"
                + " track_process {\n  hap\n }\n}\n");
    }

    @Test
    void aWeightAbovePriority254ChangesNothingAsInKeepalived() throws Exception {
        Config c = tracked(254, 5);
        assertEquals(254, c.getInt("vrrp.instances.A.priority"));
        assertTrue(!c.hasPath("vrrp.instances.A.track-scripts") && !c.hasPath("vrrp.instances.A.track-processes"),
                c.root().render());
        assertTrue(fallbackAt(17, "chk") && fallbackAt(20, "hap"), notes().toString());
    }

    @Test
    void weightsPassing254AreCarriedOnlyUpTo254SoTheDownPriorityIsKeepaliveds() throws Exception {
        Config c = tracked(250, 3);
        // keepalived: all up 254 (256 capped), all down 250; the import keeps both ends.
        assertEquals(254, c.getInt("vrrp.instances.A.priority"));
        assertEquals(-3, c.getInt("vrrp.scripts.chk.weight"));
        assertEquals(java.util.List.of("hap-weight-1"), c.getStringList("vrrp.instances.A.track-processes"));
        assertEquals(-1, c.getInt("vrrp.track-processes.hap-weight-1.weight"));
        assertTrue(fallbackAt(20, "hap"), notes().toString());
    }

    @Test
    void anAddressOwnersWeightedTrackingIsLeftOutAsKeepalivedIgnoresIt() throws Exception {
        Config c = tracked(255, 10);
        assertEquals(255, c.getInt("vrrp.instances.A.priority"));
        assertTrue(!c.hasPath("vrrp.instances.A.track-scripts"), c.root().render());
        assertTrue(fallbackAt(17, "chk"), notes().toString());
    }

    @Test
    void garpDelaysAreWholeSecondsWithinKeepalivedsRangeAndVipkeepersLimit() throws Exception {
        assertEquals(Duration.ofSeconds(1), instance(vip(" garp_master_delay 1.5\n")).getDuration("garp.master-delay"));
        assertTrue(fallbackAt(8, "garp_master_delay"), notes().toString());
        assertTrue(!instance(vip(" garp_master_delay 5000\n")).hasPath("garp.master-delay"));
        assertTrue(fallbackAt(8, "garp_master_delay"), notes().toString());
        assertEquals(Duration.ofSeconds(1000), instance(vip(" garp_master_delay 2000\n"))
                .getDuration("garp.master-delay"));
        assertEquals(Duration.ofHours(24), instance(vip(" garp_master_refresh 100000\n"))
                .getDuration("garp.master-refresh"));
        assertTrue(notes().stream().anyMatch(n -> n.startsWith("k.conf:8: garp_master_refresh: note: vipkeeper takes "
                + "at most 86400")), notes().toString());
    }
}
