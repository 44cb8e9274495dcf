package io.vipkeeper.vrrp.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.NetUtil;
import io.vipkeeper.vrrp.codec.DecodeResult;
import io.vipkeeper.vrrp.codec.VrrpDecoder;
import io.vipkeeper.vrrp.codec.VrrpEncoder;
import io.vipkeeper.vrrp.linux.netlink.GenericNetlink;
import io.vipkeeper.vrrp.linux.netlink.NetlinkException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddresses;
import io.vipkeeper.vrrp.linux.rtnl.LinkInfo;
import io.vipkeeper.vrrp.linux.rtnl.LinkMonitor;
import io.vipkeeper.vrrp.linux.rtnl.Links;
import io.vipkeeper.vrrp.protocol.Ipv4Header;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpMulticast;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Linux layer against the host kernel, between two namespaces joined by a veth pair. */
class LinuxLayerIT extends TwoNamespaces {
    private static final Inet4Address A = (Inet4Address) ip("198.18.200.1");
    private static final Inet4Address B = (Inet4Address) ip("198.18.200.2");
    static InetAddress ip(String s) {
        return NetUtil.createInetAddressFromIpAddressString(s);
    }

    @Override
    protected String subnet() {
        return "198.18.200";
    }

    private static byte[] v3Packet(InetAddress src, InetAddress dst, int ttl) {
        byte[] vrrp = VrrpEncoder.encode(VrrpAdvertisement.v3(51, 100, 100, List.of(ip("198.18.200.100"))), src, dst);
        byte[] pkt = Ipv4Header.wrap(vrrp, (Inet4Address) src, (Inet4Address) dst, 0, 112);
        pkt[8] = (byte) ttl;
        return pkt;
    }

    @Test
    void ipv4MulticastAdvertArrivesWithTtl255AndAForgedTtlIsReported() throws Exception {
        BlockingQueue<RawPacket> got = new LinkedBlockingQueue<>();
        RawIpSocket rx = NetNs.in(nsA, () -> RawIpSocket.open(false, 112, "vka", VrrpMulticast.IPV4));
        RawIpSocket tx = NetNs.in(nsB, () -> RawIpSocket.open(false, 112, "vkb", null));
        try {
            rx.register(loop, got::add).sync();
            tx.send(v3Packet(B, VrrpMulticast.IPV4, 255), VrrpMulticast.IPV4);
            RawPacket p = got.poll(5, TimeUnit.SECONDS);
            assertEquals(B, p.source());
            assertEquals(VrrpMulticast.IPV4, p.destination());
            assertEquals(255, p.ttl());
            assertEquals(20, p.ipv4Header().length);
            assertInstanceOf(DecodeResult.Accepted.class,
                    VrrpDecoder.decode(new InboundPacket(p.source(), p.destination(), p.ttl(), p.payload())));
            tx.send(v3Packet(B, VrrpMulticast.IPV4, 64), VrrpMulticast.IPV4);
            assertEquals(64, got.poll(5, TimeUnit.SECONDS).ttl());
            tx.send(v3Packet(B, A, 255), A);
            assertEquals(A, got.poll(5, TimeUnit.SECONDS).destination(), "unicast arrives too");
        } finally {
            rx.close();
            tx.close();
        }
    }

    @Test
    void ipv6AdvertGetsKernelChecksumAndHopLimit255() throws Exception {
        BlockingQueue<RawPacket> got = new LinkedBlockingQueue<>();
        NetNs.awaitIpv6(nsA, "vka");
        NetNs.awaitIpv6(nsB, "vkb");
        RawIpSocket rx = NetNs.in(nsA, () -> RawIpSocket.open(true, 112, "vka", VrrpMulticast.IPV6));
        RawIpSocket tx = NetNs.in(nsB, () -> RawIpSocket.open(true, 112, "vkb", null));
        try {
            rx.register(loop, got::add).sync();
            byte[] vrrp = VrrpEncoder.encode(VrrpAdvertisement.v3(7, 150, 100, List.of(ip("2001:db8::100"))),
                    ip("::"), VrrpMulticast.IPV6);
            vrrp[6] = 0;
            vrrp[7] = 0;
            tx.send(vrrp, VrrpMulticast.IPV6);
            RawPacket p = got.poll(5, TimeUnit.SECONDS);
            assertTrue(p.source().isLinkLocalAddress(), p.source().toString());
            assertEquals(VrrpMulticast.IPV6, p.destination());
            assertEquals(255, p.ttl());
            assertInstanceOf(DecodeResult.Accepted.class,
                    VrrpDecoder.decode(new InboundPacket(p.source(), p.destination(), p.ttl(), p.payload())),
                    "the kernel filled the checksum with the pseudo-header");
        } finally {
            rx.close();
            tx.close();
        }
    }

    @Test
    void addressesAddAndRemoveIdempotentlyWithLabelAndNodad() throws Exception {
        NetNs.in(nsA, () -> {
            try (NetlinkSocket s = NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, 2000)) {
                int idx = new Links(s).byName("vka").orElseThrow().index();
                InterfaceAddresses addrs = new InterfaceAddresses(s);
                assertEquals(InterfaceAddresses.Outcome.CHANGED, addrs.add(idx, ip("198.18.200.100"), 32, "vka:vip"));
                assertEquals(InterfaceAddresses.Outcome.ALREADY, addrs.add(idx, ip("198.18.200.100"), 32, "vka:vip"));
                assertEquals(InterfaceAddresses.Outcome.CHANGED, addrs.add(idx, ip("2001:db8::100"), 128, ""));
                assertTrue(addrs.list(idx).stream().anyMatch(a -> a.address().equals(ip("198.18.200.100"))
                        && a.label().equals("vka:vip")));
                return null;
            }
        });
        String shown = NetNs.sh("ip", "-n", nsA, "addr", "show", "dev", "vka");
        assertTrue(shown.contains("inet 198.18.200.100/32") && shown.contains("vka:vip"), shown);
        String vip6 = shown.lines().filter(l -> l.contains("2001:db8::100/128")).findFirst().orElse("");
        assertTrue(vip6.contains("nodad") && !vip6.contains("tentative"), shown);
        NetNs.in(nsA, () -> {
            try (NetlinkSocket s = NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, 2000)) {
                int idx = new Links(s).byName("vka").orElseThrow().index();
                InterfaceAddresses addrs = new InterfaceAddresses(s);
                assertEquals(InterfaceAddresses.Outcome.CHANGED, addrs.remove(idx, ip("198.18.200.100"), 32));
                assertEquals(InterfaceAddresses.Outcome.ALREADY, addrs.remove(idx, ip("198.18.200.100"), 32));
                return null;
            }
        });
        assertTrue(!NetNs.sh("ip", "-n", nsA, "addr", "show", "dev", "vka").contains("198.18.200.100"));
    }

    @Test
    void linkMonitorSeesDownAndUp() throws Exception {
        BlockingQueue<LinkInfo> events = new LinkedBlockingQueue<>();
        LinkMonitor m = NetNs.in(nsA, () -> LinkMonitor.start(events::add));
        try {
            NetNs.sh("ip", "-n", nsA, "link", "set", "vka", "down");
            LinkInfo down = poll(events, i -> i.name().equals("vka") && !i.usable());
            NetNs.sh("ip", "-n", nsA, "link", "set", "vka", "up");
            LinkInfo up = poll(events, i -> i.name().equals("vka") && i.usable());
            assertEquals(down.index(), up.index());
        } finally {
            m.close();
        }
    }

    @Test
    void aLinkWhoseOperstateIsUnknownIsUsableWhileUp() throws Exception {
        // lo reports UNKNOWN, as dummy and some virtual NICs do (this kernel has no dummy driver).
        NetNs.sh("ip", "-n", nsA, "link", "set", "lo", "up");
        try {
            assertTrue(NetNs.sh("ip", "-n", nsA, "link", "show", "lo").contains("state UNKNOWN"));
            assertTrue(usable(nsA, "lo"));
            NetNs.sh("ip", "-n", nsA, "link", "set", "lo", "down");
            assertTrue(!usable(nsA, "lo"));
        } finally {
            NetNs.sh("ip", "-n", nsA, "link", "set", "lo", "up");
        }
    }

    private static boolean usable(String ns, String name) throws Exception {
        return NetNs.in(ns, () -> {
            try (NetlinkSocket s = NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, 2000)) {
                return new Links(s).byName(name).orElseThrow().usable();
            }
        });
    }

    @Test
    void genericNetlinkResolvesNlctrlAndSaysWhenIpvsIsMissing() throws Exception {
        NetNs.in(nsA, () -> {
            try (NetlinkSocket s = NetlinkSocket.open(LinuxConstants.NETLINK_GENERIC, 0, 2000)) {
                assertEquals(16, GenericNetlink.resolve(s, "nlctrl").id());
                if (!new java.io.File("/proc/net/ip_vs").exists()) {
                    NetlinkException e = assertThrows(NetlinkException.class, () -> GenericNetlink.resolve(s, "IPVS"));
                    assertTrue(e.getMessage().contains("not available"), e.getMessage());
                }
                return null;
            }
        });
    }

    @Test
    void garpIsSeenOnThePeer() throws Exception {
        Process dump = new ProcessBuilder("ip", "netns", "exec", nsB, "tcpdump", "-l", "-nn", "-e", "-c", "1", "-i", "vkb",
                "arp").redirectErrorStream(true).start();
        try {
            Thread.sleep(1500);
            NetNs.in(nsA, () -> {
                try (NetlinkSocket s = NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, 2000);
                        Announcer a = Announcer.open(new Links(s).byName("vka").orElseThrow().index(),
                                new Links(s).byName("vka").orElseThrow().mac())) {
                    a.announce(ip("198.18.200.100"), false);
                }
                return null;
            });
            assertTrue(dump.waitFor(10, TimeUnit.SECONDS), "tcpdump saw a frame");
            String out = new String(dump.getInputStream().readAllBytes());
            assertTrue(out.contains("Request who-has 198.18.200.100 (ff:ff:ff:ff:ff:ff) tell 198.18.200.100"), out);
        } finally {
            dump.destroyForcibly();
        }
    }

    private static LinkInfo poll(BlockingQueue<LinkInfo> q, java.util.function.Predicate<LinkInfo> want)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            LinkInfo i = q.poll(100, TimeUnit.MILLISECONDS);
            if (i != null && want.test(i)) {
                return i;
            }
        }
        throw new AssertionError("no matching link event in 5 s");
    }
}
