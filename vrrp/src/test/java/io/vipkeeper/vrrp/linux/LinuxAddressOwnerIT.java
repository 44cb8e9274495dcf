package io.vipkeeper.vrrp.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.vrrp.fsm.AddressLedger;
import io.vipkeeper.vrrp.fsm.EventLoopScheduler;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddresses;
import io.vipkeeper.vrrp.linux.rtnl.LinkInfo;
import io.vipkeeper.vrrp.linux.rtnl.Links;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The VIP owner against the host kernel: getting ready for a claim changes nothing, a claim has
 * put the VIP on the interface by the time it returns, before its gratuitous ARP (a client the
 * GARP redirects finds the address there), and a release removes it; calls from other threads run
 * on the loop. An owner's release leaves an address that a successor claimed since.
 */
class LinuxAddressOwnerIT extends TwoNamespaces {
    private static final String VIP = "198.18.203.100";

    @Override
    protected String subnet() {
        return "198.18.203";
    }

    @Test
    void claimAddsTheVipBeforeAnnouncingAndReleaseRemovesIt() throws Exception {
        Process dump = new ProcessBuilder("ip", "netns", "exec", nsB, "tcpdump", "-l", "-nn", "-c", "1", "-i", "vkb",
                "arp").redirectErrorStream(true).start();
        try (NetlinkSocket route = NetNs.in(nsA, () -> NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, 2000));
                NetlinkSocket check = NetNs.in(nsA, () -> NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, 2000))) {
            LinkInfo link = new Links(route).byName("vka").orElseThrow();
            Announcer announcer = NetNs.in(nsA, () -> Announcer.open(link.index(), link.mac()));
            InetAddress vip = InetAddress.getByName(VIP);
            LinuxAddressOwner owner = new LinuxAddressOwner("vka", link.index(),
                    List.of(new LinuxAddressOwner.Vip(vip, 24)), new InterfaceAddresses(route), announcer,
                    new EventLoopScheduler(loop), 1, Duration.ofSeconds(5), Duration.ZERO, false, new AddressLedger());
            InterfaceAddresses addresses = new InterfaceAddresses(check);
            Thread.sleep(1500); // tcpdump starts listening
            var before = addresses.list(0);
            loop.submit(owner::prepareClaim).get(10, TimeUnit.SECONDS);
            assertEquals(before, addresses.list(0), "getting ready for a claim changes no address");
            boolean presentWhenClaimReturned = loop.submit(() -> {
                owner.claim();
                return addresses.list(link.index()).stream().anyMatch(a -> a.address().equals(vip));
            }).get(10, TimeUnit.SECONDS);
            assertTrue(presentWhenClaimReturned, "the VIP was on vka when claim() returned");
            assertTrue(dump.waitFor(10, TimeUnit.SECONDS), "the peer saw the gratuitous ARP");
            String seen = new String(dump.getInputStream().readAllBytes());
            assertTrue(seen.contains("Request who-has " + VIP), seen);
            assertTrue(NetNs.sh("ip", "-n", nsA, "addr", "show", "dev", "vka").contains("inet " + VIP + "/24"));

            owner.release(); // from this thread: it hops to the loop
            loop.submit(() -> null).get(10, TimeUnit.SECONDS);
            assertFalse(NetNs.sh("ip", "-n", nsA, "addr", "show", "dev", "vka").contains(VIP));
            owner.claim();
            loop.submit(() -> null).get(10, TimeUnit.SECONDS);
            assertTrue(NetNs.sh("ip", "-n", nsA, "addr", "show", "dev", "vka").contains("inet " + VIP + "/24"));
            loop.submit(owner::release).get(10, TimeUnit.SECONDS);
            announcer.close();
        } finally {
            dump.destroyForcibly();
        }
    }

    @Test
    void aReleaseLeavesTheAddressesASuccessorClaimedAndRemovesTheRest() throws Exception {
        String kept = VIP;
        String dropped = "198.18.203.101";
        try (NetlinkSocket route = NetNs.in(nsA, () -> NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, 2000))) {
            LinkInfo link = new Links(route).byName("vka").orElseThrow();
            Announcer announcer = NetNs.in(nsA, () -> Announcer.open(link.index(), link.mac()));
            AddressLedger ledger = new AddressLedger();
            EventLoopScheduler scheduler = new EventLoopScheduler(loop);
            LinuxAddressOwner before = owner(route, link, announcer, scheduler, ledger, kept, dropped);
            LinuxAddressOwner successor = owner(route, link, announcer, scheduler, ledger, kept);
            loop.submit(before::claim).get(10, TimeUnit.SECONDS);
            loop.submit(() -> {
                successor.claim();
                before.release();
            }).get(10, TimeUnit.SECONDS);
            String shown = NetNs.sh("ip", "-n", nsA, "addr", "show", "dev", "vka");
            assertTrue(shown.contains("inet " + kept + "/24"), shown);
            assertFalse(shown.contains(dropped), shown);
            loop.submit(successor::release).get(10, TimeUnit.SECONDS);
            assertFalse(NetNs.sh("ip", "-n", nsA, "addr", "show", "dev", "vka").contains(kept));
            announcer.close();
        }
    }

    @Test
    void aVipWhosePrefixChangedLeavesNoEntryWithTheOldPrefix() throws Exception {
        // Found by review: a reload from /24 to /32 left the /24 entry behind, and after the node
        // stepped down both nodes answered for the VIP; a crashed run's /24 survived a restart too.
        try (NetlinkSocket route = NetNs.in(nsA, () -> NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, 2000))) {
            LinkInfo link = new Links(route).byName("vka").orElseThrow();
            Announcer announcer = NetNs.in(nsA, () -> Announcer.open(link.index(), link.mac()));
            AddressLedger ledger = new AddressLedger();
            EventLoopScheduler scheduler = new EventLoopScheduler(loop);
            LinuxAddressOwner wide = owner(route, link, announcer, scheduler, ledger, 24, VIP);
            LinuxAddressOwner narrow = owner(route, link, announcer, scheduler, ledger, 32, VIP);
            loop.submit(wide::claim).get(10, TimeUnit.SECONDS);
            loop.submit(() -> {
                narrow.claim(); // the reload's successor, with the new prefix
                wide.release();
            }).get(10, TimeUnit.SECONDS);
            loop.submit(() -> null).get(10, TimeUnit.SECONDS); // the claim's clean-up runs after the takeover
            String shown = NetNs.sh("ip", "-n", nsA, "addr", "show", "dev", "vka");
            assertTrue(shown.contains("inet " + VIP + "/32"), shown);
            assertFalse(shown.contains(VIP + "/24"), shown);
            loop.submit(narrow::release).get(10, TimeUnit.SECONDS);
            assertFalse(NetNs.sh("ip", "-n", nsA, "addr", "show", "dev", "vka").contains(VIP));

            // A crashed run's /24 is still there when the new run (/32) starts as backup and releases.
            NetNs.sh("ip", "-n", nsA, "addr", "add", VIP + "/24", "dev", "vka");
            LinuxAddressOwner restarted = owner(route, link, announcer, scheduler, new AddressLedger(), 32, VIP);
            loop.submit(restarted::release).get(10, TimeUnit.SECONDS);
            assertFalse(NetNs.sh("ip", "-n", nsA, "addr", "show", "dev", "vka").contains(VIP));
            announcer.close();
        }
    }

    private static LinuxAddressOwner owner(NetlinkSocket route, LinkInfo link, Announcer announcer,
            EventLoopScheduler scheduler, AddressLedger ledger, String... vips) throws Exception {
        return owner(route, link, announcer, scheduler, ledger, 24, vips);
    }

    private static LinuxAddressOwner owner(NetlinkSocket route, LinkInfo link, Announcer announcer,
            EventLoopScheduler scheduler, AddressLedger ledger, int prefix, String... vips) throws Exception {
        List<LinuxAddressOwner.Vip> list = new java.util.ArrayList<>();
        for (String v : vips) {
            list.add(new LinuxAddressOwner.Vip(InetAddress.getByName(v), prefix));
        }
        return new LinuxAddressOwner("vka", link.index(), list, new InterfaceAddresses(route), announcer, scheduler,
                1, Duration.ofSeconds(5), Duration.ZERO, false, ledger);
    }
}
