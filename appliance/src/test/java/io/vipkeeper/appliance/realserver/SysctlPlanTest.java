package io.vipkeeper.appliance.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SysctlPlanTest {
    private static final Sysctl ALL_IGNORE = Sysctl.ipv4Conf("all", "arp_ignore");
    private static final Sysctl ALL_ANNOUNCE = Sysctl.ipv4Conf("all", "arp_announce");
    private static final Sysctl ETH0_IGNORE = Sysctl.ipv4Conf("eth0", "arp_ignore");
    private static final Sysctl ETH0_ANNOUNCE = Sysctl.ipv4Conf("eth0", "arp_announce");

    private static Map<Sysctl, Integer> values(int allIgnore, int allAnnounce, int ethIgnore, int ethAnnounce) {
        Map<Sysctl, Integer> m = new LinkedHashMap<>();
        m.put(ALL_IGNORE, allIgnore);
        m.put(ALL_ANNOUNCE, allAnnounce);
        m.put(ETH0_IGNORE, ethIgnore);
        m.put(ETH0_ANNOUNCE, ethAnnounce);
        return m;
    }

    @Test
    void wantsIgnoreOneAndAnnounceTwoOnAllAndTheInterface() {
        assertEquals(values(1, 2, 1, 2), SysctlPlan.wanted("eth0"));
        assertEquals(List.copyOf(values(1, 2, 1, 2).keySet()), List.copyOf(SysctlPlan.wanted("eth0").keySet()));
    }

    @Test
    void firstUpRecordsEveryCurrentValueAndChangesOnlyTheWrongOnes() {
        SysctlPlan.Up up = SysctlPlan.up(SysctlPlan.wanted("eth0"), values(0, 2, 0, 1), Map.of());
        assertEquals(values(0, 2, 0, 1), up.originals());
        assertEquals(List.of("net.ipv4.conf.all.arp_ignore 0 -> 1", "net.ipv4.conf.eth0.arp_ignore 0 -> 1",
                "net.ipv4.conf.eth0.arp_announce 1 -> 2"), up.changes().stream().map(Object::toString).toList());
    }

    @Test
    void secondUpChangesNothingAndKeepsTheFirstOriginals() {
        SysctlPlan.Up up = SysctlPlan.up(SysctlPlan.wanted("eth0"), values(1, 2, 1, 2), values(0, 2, 0, 1));
        assertEquals(values(0, 2, 0, 1), up.originals());
        assertEquals(List.of(), up.changes());
    }

    @Test
    void upAfterTheInterfaceChangedAddsItsOriginalsToTheRecordedOnes() {
        SysctlPlan.Up up = SysctlPlan.up(SysctlPlan.wanted("eth1"),
                Map.of(ALL_IGNORE, 1, ALL_ANNOUNCE, 2, Sysctl.ipv4Conf("eth1", "arp_ignore"), 0,
                        Sysctl.ipv4Conf("eth1", "arp_announce"), 0), values(0, 0, 0, 0));
        Map<Sysctl, Integer> expected = values(0, 0, 0, 0);
        expected.put(Sysctl.ipv4Conf("eth1", "arp_ignore"), 0);
        expected.put(Sysctl.ipv4Conf("eth1", "arp_announce"), 0);
        assertEquals(expected, up.originals());
        assertEquals(List.of("net.ipv4.conf.eth1.arp_ignore 0 -> 1", "net.ipv4.conf.eth1.arp_announce 0 -> 2"),
                up.changes().stream().map(Object::toString).toList());
    }

    @Test
    void downRestoresWhatDiffersInTheRecordedOrder() {
        List<SysctlPlan.Change> down = SysctlPlan.down(values(0, 2, 0, 1), values(1, 2, 1, 2));
        assertEquals(List.of("net.ipv4.conf.all.arp_ignore 1 -> 0", "net.ipv4.conf.eth0.arp_ignore 1 -> 0",
                "net.ipv4.conf.eth0.arp_announce 2 -> 1"), down.stream().map(Object::toString).toList());
    }

    @Test
    void downSkipsWhatHasNoCurrentValue() {
        Map<Sysctl, Integer> current = values(1, 2, 1, 2);
        current.remove(ETH0_IGNORE);
        current.remove(ETH0_ANNOUNCE);
        assertEquals(List.of("net.ipv4.conf.all.arp_ignore 1 -> 0", "net.ipv4.conf.all.arp_announce 2 -> 0"),
                SysctlPlan.down(values(0, 0, 0, 1), current).stream().map(Object::toString).toList());
    }

    @Test
    void downAfterDownChangesNothing() {
        assertEquals(List.of(), SysctlPlan.down(values(0, 0, 0, 1), values(0, 0, 0, 1)));
    }
}
