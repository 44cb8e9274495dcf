package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.appliance.pool.InMemoryIpvs;
import io.vipkeeper.appliance.pool.DataPlaneManager;
import io.vipkeeper.appliance.pool.NatSetup;
import io.vipkeeper.vrrp.linux.netlink.NetlinkException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /healthz rule: FAULT instances and an unreachable kernel are problems, nothing else is. */
class DaemonHealthTest {
    @TempDir
    Path dir;

    private static DaemonHealth rule(StatusFixture f, Instant now) {
        return new DaemonHealth(f, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void faultInstanceIsAProblemBackupAndDownRealServersAreNot() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            Instant now = f.ipvs.get().status().lastTableAt().orElseThrow();
            assertEquals(List.of("vrrp instance mail is in FAULT (track-interface eth9: eth9 is down)"),
                    rule(f, now).problems());
            f.routers.get("mail").setFault("track-interface eth9", null);
            assertEquals(List.of(), rule(f, now).problems(), "db BACKUP and rs2 down are healthy");
        }
    }

    @Test
    void aPeerConfiguredDifferentlyIsAProblemForThreeMasterDownIntervals() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            f.routers.get("mail").setFault("track-interface eth9", null);
            Instant now = f.ipvs.get().status().lastTableAt().orElseThrow();
            f.v2AdvertFrom("web", "198.18.0.2");
            assertEquals(List.of("vrrp instance web drops adverts for VRID 51 from 198.18.0.2 configured differently:"
                    + " version (VRRPv2 advert, this router speaks VRRPv3), 1 so far; both may be master"),
                    rule(f, now).problems());
            // web: v3, priority 150, 1 s adverts: 3 * (3 s + 106 * 1 s / 256) = 10.2421875 s.
            f.vrrpClock.advance(Duration.ofNanos(10_242_187_499L));
            assertEquals(1, rule(f, now).problems().size(), "still within the window");
            f.vrrpClock.advance(Duration.ofNanos(1));
            assertEquals(List.of(), rule(f, now).problems(), "no such advert for 3 Master_Down_Intervals");
        }
    }

    @Test
    void ipvsThatNeverReadTheKernel() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            f.routers.remove("mail");
            f.ipvs.get().close();
            DataPlaneManager broken = new DataPlaneManager(() -> {
                throw new IllegalStateException("IPVS generic netlink family not found");
            }, NatSetup.NONE);
            f.ipvs = Optional.of(broken);
            broken.start(f.settings.ipvs());
            assertEquals(List.of("ipvs: the kernel's IPVS table could not be read yet: cannot open the kernel's IPVS "
                    + "interface: IPVS generic netlink family not found (1 failure(s); is the ip_vs module loaded?)"),
                    rule(f, Instant.now()).problems());
        }
    }

    @Test
    void ipvsWhoseTableIsStale() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            f.routers.remove("mail");
            Instant read = f.ipvs.get().status().lastTableAt().orElseThrow();
            assertEquals(List.of(), rule(f, read.plus(Duration.ofSeconds(15))).problems(), "3 intervals of 5 s");
            assertEquals(List.of("ipvs: the kernel's IPVS table was last read 16s ago and no run failed since: reconcile "
                    + "runs are not finishing (reconcile-interval 5s; 0 failure(s))"),
                    rule(f, read.plus(Duration.ofSeconds(16))).problems());
        }
    }

    @Test
    void ipvsWhoseRunsFailSaysWhy() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            f.routers.remove("mail");
            f.ipvs.get().close();
            InMemoryIpvs kernel = new InMemoryIpvs();
            DataPlaneManager failing = new DataPlaneManager(() -> kernel, NatSetup.NONE);
            f.ipvs = Optional.of(failing);
            failing.start(f.settings.ipvs());
            failing.reconcileNow(); // after the run the start queued to read its changes back
            Instant read = failing.status().lastTableAt().orElseThrow();
            kernel.failDumps(new NetlinkException("IPVS_CMD_GET_SERVICE", 5));
            failing.reconcileNow();
            assertEquals(List.of(), rule(f, read.plus(Duration.ofSeconds(15))).problems(),
                    "one failed run is within the staleness rule");
            assertEquals(List.of("ipvs: the kernel's IPVS table was last read 16s ago: reconcile failed: "
                    + "IPVS_CMD_GET_SERVICE: EIO (reconcile-interval 5s; 1 failure(s))"),
                    rule(f, read.plus(Duration.ofSeconds(16))).problems());
        }
    }
}
