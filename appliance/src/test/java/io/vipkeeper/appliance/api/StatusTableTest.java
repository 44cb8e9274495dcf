package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code vipkeeper status} text: each instance's faults and mismatching peers under its row. */
class StatusTableTest {
    private static StatusSnapshot.Instance instance(List<StatusSnapshot.Mismatch> mismatches) {
        return new StatusSnapshot.Instance("vi_1", "eth0", 51, 3, "MASTER", 150, 150, "198.18.1.1", 1000, 1000, 2,
                null, 10, 0, Map.of(), Map.of(), List.of("198.18.1.100/24"), 0, mismatches,
                false, null, null, null, null);
    }

    private static String format(StatusSnapshot.Instance i) {
        return StatusTable.format(new StatusSnapshot("lb1", "vipkeeper test", "/etc/vipkeeper/vipkeeper.conf",
                "e3b0c442", "2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z", new StatusSnapshot.Reloads(0, 0, null), List.of(i),
                List.of(), null, null, null, List.of()));
    }

    @Test
    void whatHealthzAnswers503ForIsPrintedAtTheTop() {
        String text = StatusTable.format(new StatusSnapshot("lb1", "vipkeeper test", "/etc/vipkeeper/vipkeeper.conf",
                "e3b0c442", "2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z", new StatusSnapshot.Reloads(0, 0, null), List.of(),
                List.of(), null, null, null, List.of("nftables: the nftables table could not be read yet: no libnftables")));
        assertTrue(text.contains("\nPROBLEM: nftables: the nftables table could not be read yet: no libnftables\n\nno VRRP instances"),
                text);
    }

    @Test
    void aVirtualServerWithEveryRealServerDownIsAWarningAtTheTop() {
        StatusSnapshot.RealServerStatus down = new StatusSnapshot.RealServerStatus("198.18.1.1:80", "down", "refused", null, 1,
                null, null, null, null, "enabled", "config", null, "config");
        String text = StatusTable.format(new StatusSnapshot("lb1", "vipkeeper test", "/etc/vipkeeper/vipkeeper.conf",
                "e3b0c442", "2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z", new StatusSnapshot.Reloads(0, 0, null), List.of(),
                List.of(new StatusSnapshot.VirtualServerStatus("web", "tcp 198.18.0.100:80", "rr", "nat", true, null,
                        List.of(down, backend("198.18.1.2:80", "enabled", "config", null)))), null, null, null, List.of()));
        assertTrue(text.contains("\nnote: virtual server web: 1 of 2 real servers up\n"), text);
        text = StatusTable.format(new StatusSnapshot("lb1", "vipkeeper test", "/etc/vipkeeper/vipkeeper.conf",
                "e3b0c442", "2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z", new StatusSnapshot.Reloads(0, 0, null), List.of(),
                List.of(new StatusSnapshot.VirtualServerStatus("web", "tcp 198.18.0.100:80", "rr", "nat", true, null,
                        List.of(down))), null, null, null, List.of()));
        assertTrue(text.contains("\nWARNING: virtual server web: 0 of 1 real servers up\n"), text);
    }

    private static StatusSnapshot.RealServerStatus backend(String address, String admin, String origin, Integer runtime) {
        Integer kernel = null;
        if (admin.equals("enabled")) {
            kernel = runtime == null ? 2 : runtime;
        } else if (admin.equals("drained")) {
            kernel = 0;
        }
        return new StatusSnapshot.RealServerStatus(address, "up", "connected", null, 2, kernel, null, null, null, admin,
                origin, runtime, "config");
    }

    @Test
    void anOverloadedBackendSaysSoBesideItsKernelWeight() {
        StatusSnapshot.RealServerStatus full = new StatusSnapshot.RealServerStatus("198.18.1.1:80", "up", "connected", null, 2, 2,
                2L, 0L, null, "enabled", "config", null, "config", true);
        StatusSnapshot.RealServerStatus under = new StatusSnapshot.RealServerStatus("198.18.1.2:80", "up", "connected", null, 2, 2,
                1L, 0L, null, "enabled", "config", null, "config", false);
        String out = StatusTable.backends(List.of(new StatusSnapshot.VirtualServerStatus("web", "tcp 198.18.0.100:80",
                "rr", "nat", true, null, List.of(full, under))));
        assertTrue(out.matches("(?s).*\n  -> 198\\.18\\.1\\.1:80 .* weight 2 overloaded .*"), out);
        assertTrue(out.matches("(?s).*\n  -> 198\\.18\\.1\\.2:80 .* weight 2 +1 .*"), out);
    }

    @Test
    void eachBackendShowsItsAdminStateAndWeightOriginNextToItsHealth() {
        String out = StatusTable.backends(List.of(new StatusSnapshot.VirtualServerStatus("web", "tcp 198.18.0.100:80",
                "rr", "nat", true, null, List.of(backend("198.18.1.1:80", "enabled", "config", null),
                        backend("198.18.1.2:80", "drained", "config", null),
                        backend("198.18.1.3:80", "disabled", "config", null),
                        backend("198.18.1.4:80", "enabled", "runtime", 7)))));
        assertTrue(out.matches("VIRTUAL SERVER +HEALTH  ADMIN     WEIGHT  ORIGIN   IN KERNEL (?s).*"), out);
        assertTrue(out.matches("(?s).*\n  -> 198\\.18\\.1\\.1:80 +up      enabled   2       config   weight 2 .*"), out);
        assertTrue(out.matches("(?s).*\n  -> 198\\.18\\.1\\.2:80 +up      drained   2       config   weight 0 .*"), out);
        assertTrue(out.matches("(?s).*\n  -> 198\\.18\\.1\\.3:80 +up      disabled  2       config   NO .*"), out);
        assertTrue(out.matches("(?s).*\n  -> 198\\.18\\.1\\.4:80 +up      enabled   7       runtime  weight 7 .*"), out);
        assertTrue(out.endsWith("\nADMIN, runtime weights and runtime backends are this node's only (vipkeeper backend"
                + " on each director)\n"), out);
    }

    @Test
    void aRuntimeBackendSaysSoBesideItsAddress() {
        StatusSnapshot.RealServerStatus b = backend("198.18.1.5:80", "enabled", "config", null);
        StatusSnapshot.RealServerStatus added = new StatusSnapshot.RealServerStatus(b.address(), b.health(), b.lastResult(),
                b.since(), b.configuredWeight(), b.kernelWeight(), null, null, null, b.admin(), b.weightOrigin(), null, "runtime");
        String out = StatusTable.backends(List.of(new StatusSnapshot.VirtualServerStatus("web", "tcp 198.18.0.100:80",
                "rr", "nat", true, null, List.of(backend("198.18.1.1:80", "enabled", "config", null), added))));
        assertTrue(out.matches("(?s).*\n  -> 198\\.18\\.1\\.1:80 +up .*"), out);
        assertTrue(out.matches("(?s).*\n  -> 198\\.18\\.1\\.5:80 \\(runtime backend\\) +up +enabled +2 +config +weight 2 .*"), out);
        assertTrue(out.contains("runtime backends are this node's only"), out);
    }

    @Test
    void anInstanceInMaintenanceSaysSoBesideItsState() {
        StatusSnapshot.Instance i = instance(List.of());
        StatusSnapshot.Instance kept = new StatusSnapshot.Instance(i.name(), i.interfaceName(), i.vrid(), i.version(),
                "BACKUP", 150, 150, "198.18.1.2", 1000, 1000, 3, null, 10, 20, Map.of(), Map.of(), i.virtualIps(), 0,
                List.of(), true, "2026-11-23T10:00:01Z", null, null, null);
        assertTrue(format(kept).contains("\nvi_1      BACKUP (maintenance)  eth0 "), format(kept));
        assertFalse(format(i).contains("(maintenance)"), format(i));
    }

    @Test
    void theKeepalivedExtrasAreListedUnderTheirInstance() {
        StatusSnapshot.Instance i = instance(List.of());
        StatusSnapshot.Instance extras = new StatusSnapshot.Instance(i.name(), i.interfaceName(), i.vrid(), i.version(),
                "BACKUP", 150, 90, "198.18.1.2", 1000, 1000, 3, null, 10, 20, Map.of(), Map.of(), i.virtualIps(), 0,
                List.of(), false, null, "vrrp.51 00:00:5e:00:01:33",
                Map.of("track-file load", -60), "2026-11-23T10:00:31Z");
        String out = format(extras);
        assertTrue(out.contains("\n  preempt  at 2026-11-23T10:00:31Z (preempt-delay)"), out);
        assertTrue(out.contains("\n  vmac  vrrp.51 00:00:5e:00:01:33"), out);
        assertTrue(out.contains("\n  tracking  track-file load: -60"), out);
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
