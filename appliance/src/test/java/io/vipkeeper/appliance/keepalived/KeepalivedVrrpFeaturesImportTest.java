package io.vipkeeper.appliance.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.vipkeeper.appliance.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * keepalived's VRRP extras that vipkeeper gained (track_file, vrrp_track_process, use_vmac, the
 * per-state notify programs, notify_priority_changes): carried with the priorities keepalived
 * would advertise, and what cannot be carried reported.
 */
class KeepalivedVrrpFeaturesImportTest extends ImportTestBase {
    private static String instance(String name, int vrid, String body) {
        return "vrrp_instance " + name + " {\n interface eth0\n virtual_router_id " + vrid + "\n priority 100\n"
                + " virtual_ipaddress {\n  198.19.10." + vrid + "/24\n }\n" + body + "}\n";
    }

    private boolean leftOut(String keyword) {
        return leftOut(keyword, "");
    }

    /** Whether {@code keyword} was left out with advice that says {@code why}. */
    private boolean leftOut(String keyword, String why) {
        return result.notes().stream().anyMatch(n -> n.kind() == Notes.Kind.LEFT_OUT && n.keyword().equals(keyword)
                && n.text().contains(why));
    }

    @Test
    void aTrackFileIsCarriedAndAnInstanceWeightTracksACopy() throws Exception {
        Config c = run("track_file load {\n file \"/run/lb/load\"\n weight -10\n}\n"
                + instance("A", 51, " track_file {\n  load\n }\n")
                + instance("B", 52, " track_file {\n  load weight 5 reverse\n }\n"));
        assertEquals("/run/lb/load", c.getString("vrrp.track-files.load.file"));
        assertEquals(-10, c.getInt("vrrp.track-files.load.weight"));
        assertEquals(List.of("load"), c.getStringList("vrrp.instances.A.track-files"));
        assertEquals(List.of("load-weight-5-reverse"), c.getStringList("vrrp.instances.B.track-files"));
        assertEquals(5, c.getInt("vrrp.track-files.load-weight-5-reverse.weight"));
        assertTrue(c.getBoolean("vrrp.track-files.load-weight-5-reverse.reverse"));
        assertEquals(100, c.getInt("vrrp.instances.B.priority"));
        assertTrue(result.complete(), result.notes().toString());
    }

    @Test
    void initFileWithAValueIsLeftOutBecauseVipkeeperNeverWritesTheFile() throws Exception {
        run("track_file load {\n file /run/lb/load\n init_file 7 overwrite\n}\n"
                + instance("A", 51, " track_file {\n  load\n }\n"));
        assertTrue(leftOut("init_file"), result.notes().toString());
    }

    @Test
    void aPositiveProcessWeightBecomesAHigherPriorityAndReverseKeepsThePriorities() throws Exception {
        Config c = run("vrrp_track_process hap {\n process haproxy -f \"/etc/h a.cfg\"\n param_match partial\n"
                + " weight 20\n quorum 2\n quorum_max 4\n delay 1.5\n full_command\n}\n"
                + instance("A", 51, " track_process {\n  hap\n }\n")
                + instance("B", 52, " track_process {\n  hap weight 30 reverse\n }\n")
                + instance("C", 53, " track_process {\n  hap weight -10 reverse\n }\n"));
        Config hap = c.getConfig("vrrp.track-processes.hap");
        assertEquals(List.of("haproxy", "-f", "/etc/h a.cfg"), hap.getStringList("process"));
        assertEquals("partial", hap.getString("param-match"));
        assertEquals(2, hap.getInt("quorum"));
        assertEquals(4, hap.getInt("quorum-max"));
        assertEquals("1500ms", hap.getString("fork-delay"));
        assertEquals("1500ms", hap.getString("terminate-delay"));
        assertTrue(hap.getBoolean("full-command"));
        // keepalived: +20 while haproxy runs; vipkeeper: 120, and -20 while it does not.
        assertEquals(-20, hap.getInt("weight"));
        assertEquals(120, c.getInt("vrrp.instances.A.priority"));
        // keepalived: -30 while it runs (reverse); vipkeeper: weight -30 while "down", which reverse makes running.
        Config b = c.getConfig("vrrp.track-processes.hap-weight-30-reverse");
        assertEquals(-30, b.getInt("weight"));
        assertTrue(b.getBoolean("reverse"));
        assertEquals(100, c.getInt("vrrp.instances.B.priority"));
        // keepalived: +10 while it does not run; vipkeeper adds its weight while it does not run.
        assertEquals(10, c.getInt("vrrp.track-processes.hap-weight-minus-10-reverse.weight"));
        assertFalse(c.hasPath("vrrp.track-processes.hap-weight-minus-10-reverse.reverse"));
        assertTrue(result.complete(), result.notes().toString());
    }

    @Test
    void useVmacIsCarriedWithItsNameAndXmitBaseOnlyWithUnicastPeers() throws Exception {
        Config c = run(instance("A", 51, " use_vmac vmac-a\n")
                + instance("B", 52, " use_vmac\n vmac_xmit_base\n unicast_peer {\n  198.19.10.2\n }\n"));
        assertTrue(c.getBoolean("vrrp.instances.A.use-vmac"));
        assertEquals("vmac-a", c.getString("vrrp.instances.A.vmac-name"));
        assertTrue(c.getBoolean("vrrp.instances.B.use-vmac"));
        assertTrue(result.complete(), result.notes().toString());

        run(instance("A", 51, " use_vmac\n vmac_xmit_base\n"));
        assertTrue(leftOut("vmac_xmit_base"), result.notes().toString());
    }

    @Test
    void useVmacOnAnIpv6InstanceIsCarriedWithTheIpv6VirtualMac() throws Exception {
        Config c = run("vrrp_instance V6 {\n interface eth0\n virtual_router_id 1\n use_vmac vm6 00:00:5e:00:02\n"
                + " virtual_ipaddress {\n  2001:db8::1/64\n }\n}\n");
        assertTrue(c.getBoolean("vrrp.instances.V6.use-vmac"));
        assertEquals("vm6", c.getString("vrrp.instances.V6.vmac-name"));
        assertFalse(leftOut("use_vmac"), result.notes().toString());

        // The IPv4 virtual MAC on an IPv6 instance is not the one vipkeeper gives its vmac.
        run("vrrp_instance V6 {\n interface eth0\n virtual_router_id 1\n use_vmac vm6 00:00:5e:00:01:01\n"
                + " virtual_ipaddress {\n  2001:db8::1/64\n }\n}\n");
        assertTrue(leftOut("use_vmac", "00:00:5e:00:02:VRID"), result.notes().toString());
    }

    @Test
    void notifyProgramsPerStateAreCarriedAndOneWithArgumentsIsLeftOut() throws Exception {
        Config c = run(instance("A", 51, " notify /usr/bin/true\n notify_master /usr/local/bin/m\n"
                + " notify_backup /usr/local/bin/b keepalived_script\n notify_stop /usr/local/bin/s\n"
                + " notify_fault \"/usr/bin/logger fault\"\n notify_priority_changes\n"));
        Config a = c.getConfig("vrrp.instances.A");
        assertEquals("/usr/local/bin/m", a.getString("notify-master"));
        assertEquals("/usr/local/bin/b", a.getString("notify-backup"));
        assertEquals("keepalived_script", a.getString("notify-user"));
        assertEquals("/usr/local/bin/s", a.getString("notify-stop"));
        assertFalse(a.hasPath("notify-fault"));
        assertTrue(leftOut("notify_fault"), result.notes().toString());
        assertTrue(a.getBoolean("notify-priority-changes"));
    }

    @Test
    void notifyPriorityChangesWithoutANotifyScriptIsLeftOut() throws Exception {
        Config c = run(instance("A", 51, " notify_priority_changes true\n"));
        assertFalse(c.hasPath("vrrp.instances.A.notify-priority-changes"));
        assertTrue(leftOut("notify_priority_changes", "notify-priority-changes = true"), result.notes().toString());
    }

    @Test
    void theImportOfTheFeaturesFixtureLoads() throws Exception {
        Path fixture = Path.of("src/test/resources/keepalived/vrrp-features.conf").toAbsolutePath();
        KeepalivedImport.Result r = KeepalivedImport.run(fixture, "lb1");
        assertTrue(r.complete(), r.notes().toString());
        Path out = dir.resolve("imported.conf");
        Files.writeString(out, r.config());
        ConfigLoader.load(out);
    }
}
