package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The texts of {@code vipkeeper status} and of the SIGUSR1/SIGUSR2 dumps, from one snapshot. */
class StatusTextTest {
    @TempDir
    Path dir;

    @Test
    void tableListsEachInstancesVirtualIps() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            String t = StatusTable.format(f.assembler().snapshot());
            assertTrue(t.matches("(?s).*\nweb +MASTER +eth0 +51 +150 +198\\.18\\.0\\.1 .*\n  virtual IPs  198\\.18\\.0\\.100/24\n.*"),
                    t);
            assertTrue(t.contains("\n  virtual IPs  198.18.0.101/24\n"), t);
        }
    }

    @Test
    void statsListEveryCounter() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            f.reloadsOk = 2;
            f.reloadsFailed = 1;
            String s = StatsText.format(f.assembler().snapshot());
            assertTrue(s.startsWith("reloads: 2 ok, 1 failed\nvrrp instance web (eth0, VRID 51): MASTER, priority 150\n"
                    + "  transitions: 2\n  adverts sent: "), s);
            assertTrue(s.contains("\nvrrp instance db (eth1, VRID 52): BACKUP, priority 100\n"), s);
            assertTrue(s.contains("\n  dropped checksum: 2\n") && s.contains("\n  dropped ttl: 1\n")
                    && s.contains("\n  dropped auth_type: 0\n"), s);
            assertTrue(s.contains("\nipvs\n  reconcile runs: "), s);
            assertTrue(s.contains("\nvirtual server web (tcp 198.18.0.100:80): connections "), s);
            assertTrue(s.contains("\nvirtual server dns (") && s.contains("): not in the kernel\n"), s);
        }
    }
}
