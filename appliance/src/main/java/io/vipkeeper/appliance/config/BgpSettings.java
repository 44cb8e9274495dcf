package io.vipkeeper.appliance.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The {@code bgp} section: the VIPs this director offers to its local routing daemon (FRR, BIRD)
 * for announcement, and how.
 *
 * @param vips the addresses owned the bgp way, in file order (announced as /32 or /128)
 * @param device the name of the tun device that carries the announced VIPs while this process lives
 * @param checkInterval how often the announce decision is taken again
 * @param withdrawWait on a graceful stop, how long to wait after withdrawing before the data plane stops
 * @param allowAnyScheduler whether virtual servers on these VIPs may use schedulers that each
 *     director applies on its own (flows that move between directors then break)
 * @param deviceAt where {@code device} was written (the bgp block when left at its default), so a
 *     problem found later about the device, on the host or at a reload, points at its line
 */
public record BgpSettings(List<InetAddress> vips, String device, Duration checkInterval, Duration withdrawWait,
        boolean allowAnyScheduler, ConfigProblem deviceAt) {

    public BgpSettings {
        vips = List.copyOf(vips);
    }

    /** Settings not read from a file (tests): the device is placed nowhere. */
    public BgpSettings(List<InetAddress> vips, String device, Duration checkInterval, Duration withdrawWait,
            boolean allowAnyScheduler) {
        this(vips, device, checkInterval, withdrawWait, allowAnyScheduler, new ConfigProblem("", 0, ""));
    }

    /** A problem about the device at the line where it was written. */
    ConfigProblem deviceProblem(String message) {
        return new ConfigProblem(deviceAt.file(), deviceAt.line(), "vipkeeper.bgp.device: " + message);
    }

    /** Whether no VIP is owned the bgp way. */
    public boolean isEmpty() {
        return vips.isEmpty();
    }
}
