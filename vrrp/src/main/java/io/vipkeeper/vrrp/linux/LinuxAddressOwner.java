package io.vipkeeper.vrrp.linux;

import io.vipkeeper.vrrp.fsm.AddressLedger;
import io.vipkeeper.vrrp.fsm.AddressOwner;
import io.vipkeeper.vrrp.fsm.AnnouncementSchedule;
import io.vipkeeper.vrrp.fsm.VrrpScheduler;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddress;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddresses;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns an instance's VIPs on Linux: rtnetlink add/remove and GARP / unsolicited NA bursts (per
 * the instance's garp settings), all on the VRRP loop, so claims and releases stay in order.
 *
 * <p>A takeover adds the VIPs before the first GARP leaves: a client the GARP redirects must find
 * the address there, or its first packet is lost (a TCP SYN then waits a second for its
 * retransmission). The add runs here, through the loop's own rtnetlink socket, rather than on
 * the kernel executor: the kernel handles an address request inside sendmsg and queues its ACK
 * before returning (30-50 us), so reading the ACK never waits, while handing the add to the
 * executor's thread cost 0.1-1.4 ms to wake it on a busy two-core host (and the wake could
 * preempt this loop mid-takeover). Announcing before that add finished lost the client's first
 * request in about one takeover in eight in the failover benchmark.
 *
 * <p>Owners of one host share an {@link AddressLedger}: a release leaves alone an address that
 * another owner claimed later (a reload's successor).
 *
 * <p>An IPv4 address with two prefixes is two kernel entries: a reload that changed a VIP's prefix
 * (/24 to /32), or a crashed run's VIP with the old prefix, would leave the other entry behind, and
 * the host would keep answering for the VIP after it stepped down (two holders, for good). So a
 * claim and a release also remove the owner's addresses with any other prefix.
 */
public final class LinuxAddressOwner implements AddressOwner {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxAddressOwner.class);

    /**
     * A virtual address.
     *
     * @param address the address
     * @param prefixLength its prefix on the interface
     * @param label its IPv4 label; null: the owner's own (IFNAME:vk)
     * @param scope ifa_scope (0 global, 200 site, 253 link, 254 host)
     * @param broadcast its IPv4 broadcast address, or null for none
     */
    public record Vip(InetAddress address, int prefixLength, String label, int scope, InetAddress broadcast) {
        /** A global VIP with the owner's label and no broadcast address. */
        public Vip(InetAddress address, int prefixLength) {
            this(address, prefixLength, null, 0, null);
        }
    }

    /** The end of the label of every IPv4 VIP vipkeeper adds (ifname:vk), which tells its own from others'. */
    private static final String LABEL_SUFFIX = ":vk";

    private final String ifname;
    private final int ifindex;
    private final List<Vip> vips;
    private final String label;
    private final InterfaceAddresses addresses;
    /** The kernel requests, built once: a takeover only stamps sequence numbers. */
    private final List<InterfaceAddresses.Change> additions;
    private final List<InterfaceAddresses.Change> removals;
    private final VrrpScheduler scheduler;
    private final AnnouncementSchedule schedule;
    private final AddressLedger ledger;
    /** Claimed and not released since (VRRP loop only). */
    private boolean holding;
    /** What a claim sends, for its log line. */
    private final String announcing;

    /**
     * @param addresses rtnetlink access through a socket of the VRRP loop, used only there
     * @param announcer frames out of the interface, used on the VRRP loop
     */
    public LinuxAddressOwner(String ifname, int ifindex, List<Vip> vips, InterfaceAddresses addresses,
            Announcer announcer, VrrpScheduler scheduler, int repeat, Duration delay, Duration refresh,
            boolean router, AddressLedger ledger) {
        this.ledger = ledger;
        this.ifname = ifname;
        this.ifindex = ifindex;
        this.vips = List.copyOf(vips);
        this.label = ifname.length() <= 12 ? ifname + LABEL_SUFFIX : "";
        this.addresses = addresses;
        this.scheduler = scheduler;
        this.additions = this.vips.stream().map(v -> InterfaceAddresses.addition(ifindex, v.address(), v.prefixLength(),
                v.label() != null ? v.label() : label, v.scope(), v.broadcast())).toList();
        this.removals = this.vips.stream().map(v -> InterfaceAddresses.removal(ifindex, v.address(),
                v.prefixLength())).toList();
        this.schedule = new AnnouncementSchedule(scheduler, () -> announceAll(announcer, router), repeat, delay,
                refresh);
        this.announcing = repeat == 0 ? "no gratuitous ARP / unsolicited NA (garp.master-repeat = 0)"
                : "gratuitous ARP / unsolicited NA: " + repeat + " now" + (delay.isZero() ? "" : ", " + repeat + " after "
                        + delay.toMillis() + " ms") + (refresh.isZero() ? "" : ", then " + repeat + " every " + refresh.toMillis() + " ms");
    }

    /**
     * Whether an address with {@code label} was added by vipkeeper: IPv4 VIPs carry IFNAME:vk (an
     * interface name over 12 characters leaves no room, and IPv6 addresses have no labels: those
     * count as vipkeeper's, so nothing of ours is ever taken for someone else's).
     */
    public static boolean isOwnLabel(String label) {
        return label == null || label.isEmpty() || label.endsWith(LABEL_SUFFIX);
    }

    private void announceAll(Announcer announcer, boolean router) {
        for (Vip v : vips) {
            try {
                announcer.announce(v.address(), router);
            } catch (RuntimeException e) {
                LOG.warn("announcing {} on {}: {}", v.address().getHostAddress(), ifname, e.getMessage());
            }
        }
        LOG.debug("{}: announced {}", ifname, describe(vips));
    }

    /** A takeover is about a millisecond away: warm the add path (it then takes half as long). */
    @Override
    public void prepareClaim() {
        try {
            addresses.touch();
        } catch (RuntimeException e) {
            LOG.debug("warming the address path on {}: {}", ifname, e.toString());
        }
    }

    @Override
    public void claim() {
        if (!scheduler.inEventLoop()) {
            scheduler.execute(this::claim);
            return;
        }
        for (Vip v : vips) {
            ledger.claimed(this, ifname, v.address());
        }
        applyAll(additions);
        schedule.start();
        holding = true;
        // After the takeover's first advert (the router sends it when claim returns): a dump of
        // the interface's addresses must not delay it.
        scheduler.execute(() -> {
            if (holding && removeOtherPrefixes(vips)) {
                applyAll(additions); // an IPv6 address keeps its first prefix: it was the one removed
            }
            if (holding) {
                // Every claim (a takeover, a reload that changed the VIPs, a VIP put back) adds
                // them all; the kernel keeps those already there, so the line says what is held.
                LOG.info("{}: VIPs in place: {}; {}", ifname, describe(vips), announcing);
            }
        });
    }

    /** "198.18.1.100/24, 2001:db8::1/64". */
    private static String describe(List<Vip> vips) {
        return vips.stream().map(v -> v.address().getHostAddress() + "/" + v.prefixLength())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    @Override
    public void stopAnnouncing() {
        schedule.stop();
    }

    @Override
    public void release() {
        if (!scheduler.inEventLoop()) {
            scheduler.execute(this::release);
            return;
        }
        schedule.stop();
        boolean held = holding;
        holding = false;
        List<Vip> released = new java.util.ArrayList<>();
        for (int i = 0; i < vips.size(); i++) {
            if (ledger.mayRelease(this, ifname, vips.get(i).address())) {
                apply(removals.get(i));
                released.add(vips.get(i));
            } else {
                LOG.debug("{} on {} stays: claimed by its successor", vips.get(i).address().getHostAddress(), ifname);
            }
        }
        removeOtherPrefixes(released);
        // A release at start (clearing what a crashed run may have left) removes addresses that
        // are usually not there: said only at debug, not as if VIPs had moved.
        if (!released.isEmpty()) {
            if (held) {
                LOG.info("{}: VIPs removed: {}", ifname, describe(released));
            } else {
                LOG.debug("{}: cleared any leftover of {}", ifname, describe(released));
            }
        }
    }

    /**
     * Removes the entries of {@code of}'s addresses on this interface whose prefix is not the
     * configured one (a reload changed it, or a crashed run left it). Returns whether there were any.
     */
    private boolean removeOtherPrefixes(List<Vip> of) {
        if (of.isEmpty()) {
            return false;
        }
        List<InterfaceAddress> present;
        try {
            present = addresses.list(ifindex);
        } catch (RuntimeException e) {
            LOG.error("listing the addresses on {}: {}", ifname, e.getMessage());
            return false;
        }
        boolean removed = false;
        for (InterfaceAddress a : present) {
            for (Vip v : of) {
                if (a.address().equals(v.address()) && a.prefixLength() != v.prefixLength()) {
                    LOG.info("removing {}/{} from {}: the VIP is /{} now", a.address().getHostAddress(),
                            a.prefixLength(), ifname, v.prefixLength());
                    apply(InterfaceAddresses.removal(ifindex, a.address(), a.prefixLength()));
                    removed = true;
                }
            }
        }
        return removed;
    }

    private void applyAll(List<InterfaceAddresses.Change> changes) {
        changes.forEach(this::apply);
    }

    private void apply(InterfaceAddresses.Change c) {
        try {
            addresses.apply(c);
        } catch (RuntimeException e) {
            LOG.error("{} on {}: {}", c.what(), ifname, e.getMessage());
        }
    }
}
