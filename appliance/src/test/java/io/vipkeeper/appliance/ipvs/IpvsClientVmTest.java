package io.vipkeeper.appliance.ipvs;

import io.vipkeeper.appliance.dataplane.DataPlane;
import io.vipkeeper.vrrp.linux.netlink.NetlinkException;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.BackendTunnel;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.Scheduler;
import io.vipkeeper.appliance.dataplane.SchedulerFlag;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.TunnelType;
import io.vipkeeper.appliance.dataplane.TunnelChecksum;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import static io.vipkeeper.appliance.vm.Shell.run;
import static io.vipkeeper.appliance.vm.Shell.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.ipvs.genl.Ipvs;
import io.vipkeeper.appliance.ipvs.genl.IpvsClient;
import io.vipkeeper.appliance.vm.VmSuite;
import io.vipkeeper.vrrp.linux.Errno;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The typed IPVS commands against the real kernel, with {@code ipvsadm} as the independent oracle:
 * what we program is what ipvsadm lists, and what we read back is what we programmed.
 */
@Tag(VmSuite.TAG)
class IpvsClientVmTest {
    private static IpvsClient ipvs;

    @BeforeAll
    static void setUp() {
        // IPVS refuses destinations until an interface is configured.
        sh("ip link add vkc0 type dummy && ip link set vkc0 up && ip addr add 198.18.0.1/24 dev vkc0"
                + " && ip addr add 2001:2::1/64 dev vkc0 nodad");
        ipvs = IpvsClient.open();
    }

    @AfterAll
    static void tearDown() {
        ipvs.flush();
        ipvs.close();
        run("ip", "link", "del", "vkc0");
    }

    @BeforeEach
    void empty() {
        ipvs.flush();
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    static ServiceSpec svc(TransportProtocol p, String addr, int port, String sched, int flags, int timeout, long mask) {
        return new ServiceSpec(ServiceKey.of(p, ip(addr), port), sched, flags, timeout, mask);
    }

    static BackendSpec dest(String addr, int port, Forwarding f, int weight, int upper, int lower) {
        return new BackendSpec(new BackendKey(ip(addr), port), f, weight, upper, lower);
    }

    /** A table with every scheduler, flag, forwarding method, both families and fwmarks. */
    static List<TableChange> variedTable() {
        List<TableChange> ops = new ArrayList<>();
        ServiceSpec web = svc(TransportProtocol.TCP, "198.18.0.1", 80, "wlc", 0, 0, 0xffffffffL);
        ops.add(new TableChange.NewService(web, "test"));
        ops.add(new TableChange.NewBackend(web.key(), dest("198.18.0.10", 8080, Forwarding.NAT, 3, 0, 0), "test"));
        ops.add(new TableChange.NewBackend(web.key(), dest("198.18.0.11", 8080, Forwarding.NAT, 0, 100, 10), "test"));
        ServiceSpec tls = svc(TransportProtocol.TCP, "198.18.0.1", 443, "rr", ServiceSpec.PERSISTENT, 300, 0xffffff00L);
        ops.add(new TableChange.NewService(tls, "test"));
        ops.add(new TableChange.NewBackend(tls.key(), dest("198.18.0.12", 443, Forwarding.DR, 1, 0, 0), "test"));
        ops.add(new TableChange.NewBackend(tls.key(), dest("198.18.0.13", 443, Forwarding.TUN, 2, 0, 0), "test"));
        ops.add(new TableChange.NewBackend(tls.key(), new BackendSpec(new BackendKey(ip("198.18.0.16"), 443), Forwarding.TUN, 1, 0,
                0, new BackendTunnel(TunnelType.GUE, 6080, TunnelChecksum.CSUM)), "test"));
        ops.add(new TableChange.NewBackend(tls.key(), new BackendSpec(new BackendKey(ip("198.18.0.17"), 443), Forwarding.TUN, 1, 500,
                100, new BackendTunnel(TunnelType.GRE, 0, TunnelChecksum.REMCSUM)), "test"));
        ServiceSpec dns = svc(TransportProtocol.UDP, "198.18.0.1", 53, "sh",
                ServiceSpec.ONE_PACKET | SchedulerFlag.SH_PORT.bit() | SchedulerFlag.SH_FALLBACK.bit(), 0, 0xffffffffL);
        ops.add(new TableChange.NewService(dns, "test"));
        ops.add(new TableChange.NewBackend(dns.key(), dest("198.18.0.14", 53, Forwarding.NAT, 1, 0, 0), "test"));
        ServiceSpec sctp = svc(TransportProtocol.SCTP, "198.18.0.1", 9, "lc", 0, 0, 0xffffffffL);
        ops.add(new TableChange.NewService(sctp, "test"));
        ServiceSpec mark = new ServiceSpec(ServiceKey.ofFwmark(7, false), "mh", SchedulerFlag.MH_FALLBACK.bit(), 0,
                0xffffffffL);
        ops.add(new TableChange.NewService(mark, "test"));
        ops.add(new TableChange.NewBackend(mark.key(), dest("198.18.0.15", 0, Forwarding.DR, 5, 0, 0), "test"));
        ServiceSpec v6 = svc(TransportProtocol.TCP, "2001:2::1", 80, "wrr", ServiceSpec.PERSISTENT, 60, 64);
        ops.add(new TableChange.NewService(v6, "test"));
        ops.add(new TableChange.NewBackend(v6.key(), dest("2001:2::10", 80, Forwarding.NAT, 4, 0, 0), "test"));
        ops.add(new TableChange.NewBackend(v6.key(), dest("2001:2::11", 80, Forwarding.DR, 1, 0, 0), "test"));
        ServiceSpec mark6 = new ServiceSpec(ServiceKey.ofFwmark(9, true), "sed", 0, 0, 128);
        ops.add(new TableChange.NewService(mark6, "test"));
        int port = 1000;
        for (Scheduler s : Scheduler.values()) {
            // symhash is nftables' alone; twos came with Linux 6.2.
            if (!IpvsKernel.CAPABILITIES.schedulers().contains(s) || s == Scheduler.TWOS && !twosAvailable()) {
                continue;
            }
            ServiceSpec each = svc(TransportProtocol.TCP, "198.18.0.1", port++, s.configName(), 0, 0, 0xffffffffL);
            ops.add(new TableChange.NewService(each, "test"));
            ops.add(new TableChange.NewBackend(each.key(), dest("198.18.0.20", 80, Forwarding.NAT, 1, 0, 0), "test"));
        }
        return ops;
    }

    /** The "twos" scheduler came with Linux 6.2; the VM's init loaded it if its kernel has it. */
    static boolean twosAvailable() {
        return java.nio.file.Files.isDirectory(java.nio.file.Path.of("/sys/module/ip_vs_twos"));
    }

    @Test
    void listingMatchesIpvsadmForEverySchedulerFlagAndMethod() {
        List<TableChange> ops = variedTable();
        assertEquals(List.of(), ipvs.apply(ops));
        Map<ServiceKey, ActualService> table = ipvs.table();
        String version = ipvs.info().versionLine();
        assertEquals(run("ipvsadm", "-Ln"), IpvsListing.format(version, table.values(), false));
        assertEquals(run("ipvsadm", "-Ln", "--stats"), IpvsListing.format(version, table.values(), true));
        String tunnels = run("ipvsadm", "-Ln", "--tun-info", "-t", "198.18.0.1:443");
        // ipvsadm writes the checksum flag as "+c" (csum) and "r+c" (remcsum).
        assertTrue(tunnels.matches("(?s).*198\\.18\\.0\\.16:443\\s+Tunnel\\s+gue:6080:\\+c\\s.*"), tunnels);
        assertTrue(tunnels.matches("(?s).*198\\.18\\.0\\.17:443\\s+Tunnel\\s+gre:r\\+c\\s.*"), tunnels);
        String thresholds = run("ipvsadm", "-Ln", "--thresholds", "-t", "198.18.0.1:443");
        assertTrue(thresholds.matches("(?s).*198\\.18\\.0\\.17:443\\s+500\\s+100.*"), thresholds);
        for (TableChange op : ops) {
            if (op instanceof TableChange.NewService o) {
                assertEquals(o.spec(), table.get(o.spec().key()).spec().normalized(), "read back " + o.spec().key());
            } else if (op instanceof TableChange.NewBackend o) {
                assertEquals(o.dest(), table.get(o.service()).dests().get(o.dest().key()).spec(), "read back " + o);
            }
        }
    }

    @Test
    void editsAndDeletesShowInIpvsadm() {
        ServiceSpec web = svc(TransportProtocol.TCP, "198.18.0.1", 80, "wlc", 0, 0, 0xffffffffL);
        BackendSpec a = dest("198.18.0.10", 80, Forwarding.NAT, 1, 0, 0);
        BackendSpec b = dest("198.18.0.11", 80, Forwarding.NAT, 1, 0, 0);
        assertEquals(List.of(), ipvs.apply(List.of(new TableChange.NewService(web, "t"), new TableChange.NewBackend(web.key(), a, "t"),
                new TableChange.NewBackend(web.key(), b, "t"))));
        ServiceSpec rr = new ServiceSpec(web.key(), "rr", ServiceSpec.PERSISTENT, 30, 0xffffffffL);
        ipvs.apply(new TableChange.SetService(rr, "t"));
        ipvs.apply(new TableChange.SetBackend(web.key(), a.withWeight(7), "t"));
        ipvs.apply(new TableChange.DelBackend(web.key(), b.key(), "t"));
        String out = run("ipvsadm", "-Ln", "-t", "198.18.0.1:80");
        assertTrue(out.contains("TCP  198.18.0.1:80 rr persistent 30"), out);
        assertTrue(out.matches("(?s).*198\\.18\\.0\\.10:80\\s+Masq\\s+7\\s.*"), out);
        assertTrue(!out.contains("198.18.0.11"), out);
        ipvs.apply(new TableChange.DelService(web.key(), "t"));
        assertEquals(0, ipvs.table().size());
        assertEquals("", run("ipvsadm", "-Sn"));
    }

    @Test
    void aRefusedCommandInABatchIsReportedAndTheRestApplied() {
        ServiceSpec web = svc(TransportProtocol.TCP, "198.18.0.1", 80, "rr", 0, 0, 0xffffffffL);
        ServiceSpec bad = svc(TransportProtocol.TCP, "198.18.0.1", 81, "nosuch", 0, 0, 0xffffffffL);
        ServiceSpec missing = svc(TransportProtocol.TCP, "198.18.0.1", 82, "rr", 0, 0, 0xffffffffL);
        List<DataPlane.Failure> failures = ipvs.apply(List.of(new TableChange.NewService(web, "t"),
                new TableChange.NewService(web, "t"), new TableChange.NewService(bad, "t"), new TableChange.SetService(missing, "t"),
                new TableChange.NewBackend(web.key(), dest("198.18.0.10", 80, Forwarding.DR, 1, 0, 0), "t")));
        assertEquals(3, failures.size(), failures.toString());
        assertTrue(((NetlinkException) failures.get(0).error()).is(Errno.EEXIST), failures.get(0).error().getMessage());
        assertTrue(((NetlinkException) failures.get(1).error()).is(Errno.ENOENT), failures.get(1).error().getMessage());
        assertTrue(((NetlinkException) failures.get(2).error()).is(Errno.ESRCH), failures.get(2).error().getMessage());
        assertTrue(failures.get(0).error().getMessage().contains("add service TCP  198.18.0.1:80"),
                failures.get(0).error().getMessage());
        assertEquals(1, ipvs.table().get(web.key()).dests().size());
    }

    @Test
    void thousandsOfChangesInFewSystemCalls() {
        List<TableChange> ops = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            ServiceSpec svc = svc(TransportProtocol.TCP, "198.18.0.1", 2000 + s, "wrr", 0, 0, 0xffffffffL);
            ops.add(new TableChange.NewService(svc, "t"));
            for (int d = 0; d < 100; d++) {
                ops.add(new TableChange.NewBackend(svc.key(), dest("198.18." + (4 + d / 200) + "." + (d % 200 + 1), 80,
                        Forwarding.NAT, 1 + d % 5, 0, 0), "t"));
            }
        }
        assertEquals(List.of(), ipvs.apply(ops));
        Map<ServiceKey, ActualService> table = ipvs.table();
        assertEquals(20, table.size());
        assertEquals(2000, table.values().stream().mapToInt(k -> k.dests().size()).sum());
        assertEquals(2020, run("ipvsadm", "-Sn").lines().count());
    }

    @Test
    void timeoutsAsIpvsadmShowsThem() {
        IpvsTimeouts before = ipvs.timeouts();
        try {
            ipvs.setTimeouts(new IpvsTimeouts(1000, 100, 200));
            assertEquals(new IpvsTimeouts(1000, 100, 200), ipvs.timeouts());
            assertEquals("Timeout (tcp tcpfin udp): 1000 100 200", run("ipvsadm", "-L", "--timeout").strip());
            ipvs.setTimeouts(new IpvsTimeouts(0, 0, 250));
            assertEquals(new IpvsTimeouts(1000, 100, 250), ipvs.timeouts());
        } finally {
            ipvs.setTimeouts(before);
        }
    }

    @Test
    void syncDaemonStartsAndStops() {
        ipvs.startSyncDaemon(new SyncDaemonState(Ipvs.STATE_MASTER, "vkc0", 7));
        try {
            // The kernel reports its defaults for the options not given (port 8848, ttl 1, ...).
            List<SyncDaemonState> running = ipvs.syncDaemons();
            assertEquals(1, running.size(), running.toString());
            assertTrue(new SyncDaemonState(Ipvs.STATE_MASTER, "vkc0", 7).isRunAs(running.get(0)), running.toString());
            String out = run("ipvsadm", "-L", "--daemon");
            assertTrue(out.startsWith("master sync daemon (mcast=vkc0, syncid=7"), out);
        } finally {
            ipvs.stopSyncDaemon(Ipvs.STATE_MASTER);
        }
        assertEquals(List.of(), ipvs.syncDaemons());
        assertEquals("", run("ipvsadm", "-L", "--daemon").strip());
    }

    @Test
    void infoMatchesIpvsadm() {
        assertEquals(run("ipvsadm", "-Ln").lines().findFirst().orElseThrow(), ipvs.info().versionLine());
    }
}
