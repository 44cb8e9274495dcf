package io.vipkeeper.vrrp.linux;

import io.vipkeeper.vrrp.fsm.AddressOwner;
import io.vipkeeper.vrrp.fsm.AnnouncementSchedule;
import io.vipkeeper.vrrp.fsm.VrrpScheduler;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddresses;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns an instance's VIPs on Linux: rtnetlink add/remove on the kernel executor (VRRP never waits
 * for it, and the executor keeps claims and releases in order), and GARP / unsolicited NA bursts
 * on the VRRP loop per the instance's garp settings.
 */
public final class LinuxAddressOwner implements AddressOwner {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxAddressOwner.class);

    /**
     * A virtual address.
     *
     * @param address the address
     * @param prefixLength its prefix on the interface
     */
    public record Vip(InetAddress address, int prefixLength) {
    }

    private final String ifname;
    private final int ifindex;
    private final List<Vip> vips;
    private final String label;
    private final InterfaceAddresses addresses;
    private final Executor kernel;
    private final AnnouncementSchedule schedule;

    /**
     * @param addresses rtnetlink access, used only on {@code kernel}
     * @param announcer frames out of the interface, used on the VRRP loop
     */
    public LinuxAddressOwner(String ifname, int ifindex, List<Vip> vips, InterfaceAddresses addresses,
            Executor kernel, Announcer announcer, VrrpScheduler scheduler, int repeat, Duration delay,
            Duration refresh, boolean router) {
        this.ifname = ifname;
        this.ifindex = ifindex;
        this.vips = List.copyOf(vips);
        this.label = ifname.length() <= 12 ? ifname + ":vk" : "";
        this.addresses = addresses;
        this.kernel = kernel;
        this.schedule = new AnnouncementSchedule(scheduler, () -> announceAll(announcer, router), repeat, delay,
                refresh);
    }

    private void announceAll(Announcer announcer, boolean router) {
        for (Vip v : vips) {
            try {
                announcer.announce(v.address(), router);
            } catch (RuntimeException e) {
                LOG.warn("announcing {} on {}: {}", v.address().getHostAddress(), ifname, e.getMessage());
            }
        }
    }

    @Override
    public void claim() {
        kernel.execute(() -> {
            for (Vip v : vips) {
                try {
                    addresses.add(ifindex, v.address(), v.prefixLength(), label);
                } catch (RuntimeException e) {
                    LOG.error("adding {}/{} on {}: {}", v.address().getHostAddress(), v.prefixLength(), ifname,
                            e.getMessage());
                }
            }
        });
        // Announce at once, as keepalived does: the add above takes well under a millisecond, and
        // waiting for it cost the client ARP update a thread hop each way.
        schedule.start();
    }

    @Override
    public void stopAnnouncing() {
        schedule.stop();
    }

    @Override
    public void release() {
        schedule.stop();
        kernel.execute(() -> {
            for (Vip v : vips) {
                try {
                    addresses.remove(ifindex, v.address(), v.prefixLength());
                } catch (RuntimeException e) {
                    LOG.error("removing {}/{} from {}: {}", v.address().getHostAddress(), v.prefixLength(), ifname,
                            e.getMessage());
                }
            }
        });
    }
}
