package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.pool.IpvsManager;
import io.vipkeeper.appliance.pool.NatSetup;
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
            Instant now = f.ipvs.get().lastTableAt().orElseThrow();
            assertEquals(List.of("vrrp instance mail is in FAULT (track-interface eth9: eth9 is down)"),
                    rule(f, now).problems());
            f.routers.get("mail").setFault("track-interface eth9", null);
            assertEquals(List.of(), rule(f, now).problems(), "db BACKUP and rs2 down are healthy");
        }
    }

    @Test
    void ipvsThatNeverReadTheKernel() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            f.routers.remove("mail");
            f.ipvs.get().close();
            IpvsManager broken = new IpvsManager(() -> {
                throw new IllegalStateException("IPVS generic netlink family not found");
            }, NatSetup.NONE);
            f.ipvs = Optional.of(broken);
            broken.start(f.settings.ipvs());
            List<String> problems = rule(f, Instant.now()).problems();
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).startsWith("ipvs: the kernel's IPVS table could not be read yet"), problems.get(0));
        }
    }

    @Test
    void ipvsWhoseTableIsStale() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            f.routers.remove("mail");
            Instant read = f.ipvs.get().lastTableAt().orElseThrow();
            assertEquals(List.of(), rule(f, read.plus(Duration.ofSeconds(15))).problems(), "3 intervals of 5 s");
            List<String> problems = rule(f, read.plus(Duration.ofSeconds(16))).problems();
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).startsWith("ipvs: the kernel's IPVS table was last read 16s ago (reconcile-interval 5s"),
                    problems.get(0));
        }
    }
}
