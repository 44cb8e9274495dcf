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
}
