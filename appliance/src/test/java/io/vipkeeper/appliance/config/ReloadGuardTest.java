package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload may not leave the daemon running nothing unless the new file says it means that. */
class ReloadGuardTest {
    private static final String RUNNING = String.join("\n",
            "vipkeeper.vrrp.instances.web { interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.18.0.100\"] }",
            "vipkeeper.vrrp.instances.db { interface = eth0, virtual-router-id = 52, virtual-ips = [\"198.18.0.101\"] }",
            "vipkeeper.ipvs.virtual-servers.http { address = \"198.18.0.100\", port = 80, real-servers = [] }", "");
    /** A backend's file copied onto a load balancer: valid, and nothing for the daemon to run. */
    private static final String BACKEND = "vipkeeper.real-server.vips = [\"198.18.0.100\"]\n";

    /** Two bgp VIPs, each with the virtual server behind it that a bgp VIP needs. */
    private static final String BGP = String.join("\n",
            "vipkeeper.bgp.vips = [\"198.18.0.200\", \"198.18.0.201\"]",
            "vipkeeper.ipvs.virtual-servers.a { address = \"198.18.0.200\", port = 80, scheduler = mh, real-servers = [] }",
            "vipkeeper.ipvs.virtual-servers.b { address = \"198.18.0.201\", port = 80, scheduler = mh, real-servers = [] }", "");

    @TempDir
    Path dir;

    private Settings load(String name, String text) throws InvalidConfigException {
        return ConfigLoader.load(ConfigFiles.write(dir, name, text));
    }

    @Test
    void aFileThatWouldRemoveEverythingRunningIsRefusedAtItsFirstLine() throws Exception {
        Settings running = load("running.conf", RUNNING);
        Settings next = load("next.conf", BACKEND);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ReloadGuard.check(running, next));
        assertEquals(List.of(next.source() + ":1: would remove everything this daemon runs (VRRP instances web, db;"
                + " virtual servers http) and run nothing (a half-written or wrong file?); a file meant to do that says"
                + " vipkeeper.allow-empty = true"), e.problems().stream().map(ConfigProblem::format).toList());
    }

    @Test
    void aFileThatWouldWithdrawEveryBgpVipIsRefusedToo() throws Exception {
        Settings running = load("running.conf", BGP);
        Settings next = load("next.conf", BACKEND);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ReloadGuard.check(running, next));
        assertEquals(List.of(next.source() + ":1: would remove everything this daemon runs (virtual servers a, b;"
                + " bgp VIPs 198.18.0.200, 198.18.0.201) and run nothing (a half-written or wrong file?); a file meant to do that says"
                + " vipkeeper.allow-empty = true"), e.problems().stream().map(ConfigProblem::format).toList());
    }

    @Test
    void theFileCanSayItMeansIt() throws Exception {
        ReloadGuard.check(load("running.conf", RUNNING), load("next.conf", BACKEND + "vipkeeper.allow-empty = true\n"));
        ReloadGuard.check(load("running.conf", RUNNING), load("next.conf", "vipkeeper.allow-empty = true\n"));
    }

    @Test
    void keepingAnythingOrHavingRunNothingIsNotRefused() throws Exception {
        Settings running = load("running.conf", RUNNING);
        ReloadGuard.check(running, load("one.conf", RUNNING.lines().skip(2).findFirst().orElseThrow()));
        ReloadGuard.check(load("idle.conf", "vipkeeper.allow-empty = true\n"), load("next.conf", BACKEND));
    }

    @Test
    void aRenamedBgpDeviceIsRefusedAtItsLineWhileVipsRunOnTheOldOne() throws Exception {
        Settings running = load("running.conf", BGP);
        Settings next = load("next.conf", BGP + "vipkeeper.bgp.device = vk-other\n");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ReloadGuard.check(running, next));
        assertEquals(List.of(next.source() + ":4: vipkeeper.bgp.device: vipkeeper-bgp -> vk-other takes a restart: the"
                + " running daemon's VIPs are on vipkeeper-bgp for as long as it lives"),
                e.problems().stream().map(ConfigProblem::format).toList());
        // Dropping every VIP closes the device; from there any name goes.
        Settings none = load("none.conf", "vipkeeper.bgp.device = vk-other\n" + RUNNING);
        ReloadGuard.check(running, none);
        ReloadGuard.check(none, next);
    }
}
