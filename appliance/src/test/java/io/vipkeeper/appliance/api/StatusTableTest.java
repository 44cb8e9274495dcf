package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code vipkeeper status} text: each instance's faults and mismatching peers under its row. */
class StatusTableTest {
    private static StatusSnapshot.Instance instance(List<StatusSnapshot.Mismatch> mismatches) {
        return new StatusSnapshot.Instance("vi_1", "eth0", 51, 3, "MASTER", 150, 150, "198.18.1.1", 1000, 1000, 2,
                null, 10, 0, Map.of(), Map.of(), List.of("198.18.1.100/24"), 0, mismatches);
    }

    private static String format(StatusSnapshot.Instance i) {
        return StatusTable.format(new StatusSnapshot("lb1", "vipkeeper test", "/etc/vipkeeper/vipkeeper.conf",
                "e3b0c442", "2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z", new StatusSnapshot.Reloads(0, 0, null), List.of(i),
                List.of(), null, null, null));
    }

    @Test
    void mismatchingPeersAreListedUnderTheirInstance() {
        String out = format(instance(List.of(
                new StatusSnapshot.Mismatch("198.18.1.2", "version", "VRRPv2 advert, this router speaks VRRPv3", 12,
                        "2026-11-23T10:01:00Z", true),
                new StatusSnapshot.Mismatch("198.18.1.3", "interval", "advert interval 2s, this router's 1s", 3,
                        "2026-11-23T09:00:00Z", false))));
        assertTrue(out.contains("\nvi_1 "), out);
        assertTrue(out.contains("\n  mismatch  198.18.1.2: version (VRRPv2 advert, this router speaks VRRPv3), 12 adverts,"
                + " last at 2026-11-23T10:01:00Z; both may be master\n"), out);
        assertTrue(out.contains("\n  mismatch  198.18.1.3: interval (advert interval 2s, this router's 1s), 3 adverts,"
                + " last at 2026-11-23T09:00:00Z\n"), out);
    }
}
