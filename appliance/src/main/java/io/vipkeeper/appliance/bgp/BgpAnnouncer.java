package io.vipkeeper.appliance.bgp;

import io.vipkeeper.appliance.bgp.AnnounceDecision.DataPlaneView;
import io.vipkeeper.appliance.bgp.AnnounceDecision.Phase;
import io.vipkeeper.appliance.bgp.AnnounceDecision.Verdict;
import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.appliance.config.BgpSettings;
import io.vipkeeper.appliance.config.VirtualServer;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the bgp VIPs on the announce device exactly while {@link AnnounceDecision} says this
 * director can serve them: decides again every {@code check-interval} on a thread of its own, and at
 * once on a reload and when the daemon starts stopping. Each announce and withdrawal is logged
 * once with its reason, counted, and told to the listener (the event stream).
 */
public final class BgpAnnouncer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BgpAnnouncer.class);

    /** What the decision reads from the daemon; called on the announcer's thread. */
    public interface Inputs {
        /** The virtual servers in force. */
        Collection<VirtualServer> virtualServers();

        /** The data plane's last table and error; {@link DataPlaneView#NONE} without one. */
        DataPlaneView dataPlane();

        /** Each virtual server's quorum by name. */
        Map<String, Boolean> quorums();
    }

    /** Told every announce and withdrawal. */
    public interface Listener {
        void changed(InetAddress vip, boolean announced, String reason);
    }

    /**
     * One bgp VIP as status shows it.
     *
     * @param vip the address
     * @param announced whether it is on the device now
     * @param reason why
     * @param since when it was last announced or withdrawn (or first decided)
     * @param changes announces and withdrawals so far
     */
    public record VipState(InetAddress vip, boolean announced, String reason, Instant since, long changes) {
    }

    private final Supplier<AnnounceDevice> opener;
    private final Inputs inputs;
    private final Listener listener;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bgp");
        t.setDaemon(true);
        return t;
    });
    /** Guarded by this, as is everything below. */
    private AnnounceDevice device;
    private String deviceProblem;
    private BgpSettings settings;
    /** Written under the lock, read before taking it by a check that gathers its inputs first. */
    private volatile Phase phase = Phase.STARTING;
    private final Map<InetAddress, VipState> states = new LinkedHashMap<>();
    private ScheduledFuture<?> periodic;
    private boolean closed;

    /** An announcer that opens its device with {@code opener} when the first VIP needs it. */
    public BgpAnnouncer(Supplier<AnnounceDevice> opener, Inputs inputs, Listener listener, Clock clock) {
        this.opener = opener;
        this.inputs = inputs;
        this.listener = listener;
        this.clock = clock;
    }

    /** Start or reload: VIPs the new settings drop are withdrawn at once, the rest decided again. */
    public void apply(BgpSettings s) {
        Phase p = phase;
        Gathered in = gather(p);
        synchronized (this) {
            applyLocked(s);
            decide(p, in);
        }
    }

    private void applyLocked(BgpSettings s) {
        if (settings == null || !s.checkInterval().equals(settings.checkInterval())) {
            if (periodic != null) {
                periodic.cancel(false);
            }
            long every = s.checkInterval().toNanos();
            periodic = thread.scheduleWithFixedDelay(this::checkLogged, every, every, TimeUnit.NANOSECONDS);
        }
        settings = s;
        for (InetAddress gone : List.copyOf(states.keySet())) {
            if (!s.vips().contains(gone)) {
                VipState was = states.remove(gone);
                if (was.announced()) {
                    withdraw(gone);
                }
                changed(gone, false, "removed from the config", was.announced());
            }
        }
        if (s.vips().isEmpty()) {
            // Nothing left to carry: the next VIP opens the device afresh, under the name it then has.
            closeDevice();
        }
    }

    /**
     * The daemon moved on; STOPPING withdraws every VIP before this returns. Leaving RUNNING needs
     * nothing from the data plane, so a reconcile run that holds its thread cannot delay it.
     */
    public void phase(Phase p) {
        Gathered in = gather(p);
        synchronized (this) {
            phase = p;
            decide(p, in);
        }
    }

    /** The VIPs and their state, in config order. */
    public synchronized List<VipState> states() {
        return List.copyOf(states.values());
    }

    private void checkLogged() {
        try {
            check();
        } catch (RuntimeException e) {
            log.error("bgp: decision failed: {}", e.toString(), e);
        }
    }

    /** What a decision reads, gathered before taking the lock (the quorums wait for the data plane's thread). */
    private record Gathered(Collection<VirtualServer> servers, DataPlaneView view, Map<String, Boolean> quorums) {
    }

    private Gathered gather(Phase p) {
        if (p != Phase.RUNNING) {
            return new Gathered(List.of(), DataPlaneView.NONE, Map.of());
        }
        return new Gathered(inputs.virtualServers(), inputs.dataPlane(), inputs.quorums());
    }

    /** Decides every VIP once and changes the device where the verdict changed. */
    public void check() {
        Phase p = phase;
        Gathered in = gather(p);
        synchronized (this) {
            decide(p, in);
        }
    }

    private void decide(Phase p, Gathered in) {
        // A check that gathered while the phase moved on decides nothing: the move decided itself.
        if (closed || settings == null || p != phase) {
            return;
        }
        for (InetAddress vip : settings.vips()) {
            Verdict v = AnnounceDecision.decide(vip, p, in.servers(), in.view(), in.quorums());
            if (v.announce() && !openDevice()) {
                v = new Verdict(false, "device " + settings.device() + ": " + deviceProblem);
            }
            VipState was = states.get(vip);
            boolean on = was != null && was.announced();
            if (v.announce() && !on) {
                on = announce(vip);
                if (!on) {
                    v = new Verdict(false, "device " + settings.device() + ": " + deviceProblem);
                }
            } else if (!v.announce() && on) {
                on = !withdraw(vip);
            }
            if (was == null || was.announced() != on || !was.reason().equals(v.reason())) {
                record(vip, was, on, v.reason());
            }
        }
    }

    private void record(InetAddress vip, VipState was, boolean on, String reason) {
        boolean flipped = was == null ? on : was.announced() != on;
        long changes = (was == null ? 0 : was.changes()) + (flipped ? 1 : 0);
        Instant since = flipped || was == null ? clock.instant() : was.since();
        states.put(vip, new VipState(vip, on, reason, since, changes));
        if (flipped || was == null) {
            changed(vip, on, reason, was != null && was.announced());
        } else {
            log.info("bgp: {} still {} ({})", Addresses.format(vip), on ? "announced" : "withdrawn", reason);
        }
    }

    private void changed(InetAddress vip, boolean on, String reason, boolean wasOn) {
        log.info("bgp: {} {} ({})", Addresses.format(vip), on ? "announced" : wasOn ? "withdrawn" : "not announced",
                reason);
        listener.changed(vip, on, reason);
    }

    private boolean openDevice() {
        if (device != null) {
            return true;
        }
        try {
            device = opener.get();
            deviceProblem = null;
            return true;
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).equals(deviceProblem)) {
                log.error("bgp: cannot create device {}: {}", settings.device(), e.getMessage());
            }
            deviceProblem = String.valueOf(e.getMessage());
            return false;
        }
    }

    private boolean announce(InetAddress vip) {
        try {
            device.add(vip);
            return true;
        } catch (RuntimeException e) {
            deviceProblem = String.valueOf(e.getMessage());
            log.error("bgp: cannot announce {}: {}", Addresses.format(vip), e.getMessage());
            return false;
        }
    }

    /** Returns whether the VIP is off the device; a failure closes the device, which takes it off too. */
    private boolean withdraw(InetAddress vip) {
        try {
            device.remove(vip);
        } catch (RuntimeException e) {
            log.error("bgp: cannot withdraw {} ({}): closing {} to withdraw everything", Addresses.format(vip),
                    e.getMessage(), settings.device());
            closeDevice();
            states.replaceAll((a, s) -> s.announced() && !a.equals(vip)
                    ? new VipState(a, false, "device closed", clock.instant(), s.changes() + 1) : s);
        }
        return true;
    }

    private void closeDevice() {
        if (device != null) {
            device.close();
            device = null;
        }
    }

    /** The device for tests. */
    synchronized Optional<AnnounceDevice> device() {
        return Optional.ofNullable(device);
    }

    /** Stops deciding and closes the device: whatever was still announced is withdrawn. */
    @Override
    public synchronized void close() {
        closed = true;
        thread.shutdownNow();
        closeDevice();
    }
}
