package io.vipkeeper.vrrp.fsm;

import io.vipkeeper.vrrp.codec.DropReason;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpPriority;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VRRP virtual router (interface + VRID + family): the RFC 9568 §6.4 state machine plus Fault.
 *
 * <p>Every method must be called on the scheduler's thread; state changes go through
 * {@link #changeState}. The getters ({@link #state()}, {@link #faults()}, {@link #config()}, the
 * priority, master, last transition and counters) are safe from any thread: each reads a volatile
 * field or an atomic, so the status API sees every value whole, though two reads may straddle a
 * change.
 */
public final class VirtualRouter {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualRouter.class);

    private final Logger log;
    private final VrrpScheduler scheduler;
    private final RouterActions actions;
    private final RouterCounters counters = new RouterCounters();
    private final List<TransitionListener> listeners = new CopyOnWriteArrayList<>();
    /** Told the new effective priority after each change (keepalived's notify_priority_changes). */
    private final List<java.util.function.IntConsumer> priorityListeners = new CopyOnWriteArrayList<>();
    /** Replaced by a reload on the loop, read by the status API. */
    private volatile RouterConfig config;

    private volatile RouterState state = RouterState.INITIALIZE;
    private volatile int effectivePriority;
    /** Master_Adver_Interval: the master's advert interval (v3 learns it from its adverts). */
    private volatile int masterAdverIntervalCentis;
    private volatile InetAddress masterAddress;
    private volatile Transition lastTransition;
    /** Adver_Timer: fires every Advertisement_Interval while master. */
    private VrrpScheduler.Timer adverTimer;
    /** Master_Down_Timer: fires when the master has been silent for Master_Down_Interval. */
    private VrrpScheduler.Timer masterDownTimer;
    /** Why Master_Down_Timer was last armed: the reason if it fires. */
    private TransitionReason masterDownReason = TransitionReason.MASTER_DOWN;
    /** When Master_Down_Timer fires, while it is armed (handed to a successor). */
    private long masterDownDeadlineNanos = Succession.NO_DEADLINE;
    /** Replaced by a successor ({@link #retire()}): deaf, silent and timerless from then on. */
    private boolean retired;
    /**
     * When the preempt delay runs out, {@link Succession#NO_DEADLINE} while none runs. As keepalived's
     * preempt_time: it starts at the first advert of a lower-priority master heard in Backup (right
     * after start, and equally after a fault or after a better master left), and stops when a
     * master of our priority or higher is heard and when the router enters Backup again.
     */
    private volatile long preemptAllowedAtNanos = Succession.NO_DEADLINE;
    /** Armed while another master of lower priority is heard; fires when it fell silent (see {@link #lowerPriorityMaster}). */
    private VrrpScheduler.Timer splitTimer;
    /** Master_Down_Timer fired but a sync group held us back until every member is ready. */
    private volatile boolean wantsMaster;
    private MasterGate gate = r -> true;
    /** Senders configured differently for our VRID (a likely split brain), for logs, status and health. */
    private final PeerMismatches mismatches = new PeerMismatches();
    /** Completes when a stopped master released its addresses (see {@link #stop()}). */
    private CompletableFuture<Void> handover;
    private VrrpScheduler.Timer handoverTimer;
    /** Active faults by source ("interface", "track-interface eth1", "sync-group", ...). */
    private final RouterFaults faults = new RouterFaults();
    /** When the graceful stop's wait began, for its closing log line. */
    private long handoverStartNanos;
    /**
     * The operator's maintenance: never Master (no Master_Down takeover, no preemption, no
     * address-owner start) until it ends; adverts are still heard so the router knows the master.
     */
    private volatile boolean maintenance;
    /** While a master in maintenance waits for a new master's advert: completes with the outcome. */
    private CompletableFuture<Resignation> resignation;
    private VrrpScheduler.Timer resignTimer;
    private long resignStartNanos;
    private boolean resignForce;
    /** Master_Down_Timer fired in maintenance: said once until a master is heard again. */
    private boolean masterDownInMaintenanceLogged;
    /** What tracking adds to the configured priority now, by item (see {@link TrackedPriority}). */
    private volatile Map<String, Integer> priorityAdjustments = Map.of();
    /** When the last valid advert from another router came ({@link Long#MIN_VALUE}: never). */
    private volatile long lastPeerAdvertNanos = Long.MIN_VALUE;

    /** A router in Initialize; call {@link #start()}. */
    public VirtualRouter(RouterConfig config, VrrpScheduler scheduler, RouterActions actions) {
        this(config, scheduler, actions, LOG);
    }

    /** The same, logging to {@code log} (the warm-up passes a silent one). */
    VirtualRouter(RouterConfig config, VrrpScheduler scheduler, RouterActions actions, Logger log) {
        this.log = log;
        this.config = config;
        this.scheduler = scheduler;
        this.actions = actions;
        this.effectivePriority = config.priority();
        this.masterAdverIntervalCentis = config.advertIntervalCentis();
    }

    /** Decides whether this router may take over when its Master_Down_Timer fires. */
    @FunctionalInterface
    public interface MasterGate {
        /** Whether {@code router} may become master now. */
        boolean mayBecomeMaster(VirtualRouter router);
    }

    /** Sets the gate (a sync group's); by default a router may always take over. */
    public void setMasterGate(MasterGate newGate) {
        this.gate = newGate;
    }

    /** Whether Master_Down_Timer fired and the router waits only for its group. */
    public boolean wantsMaster() {
        return wantsMaster;
    }

    /** Adds a listener told about every later transition. */
    public void addListener(TransitionListener listener) {
        listeners.add(listener);
    }

    /** Adds a listener told the new effective priority after every later change of it. */
    public void addPriorityListener(java.util.function.IntConsumer listener) {
        priorityListeners.add(listener);
    }

    /** The Initialize-state startup event (RFC 9568 §6.4.1). */
    public void start() {
        if (state != RouterState.INITIALIZE) {
            return;
        }
        finishHandover();
        if (!faults.isEmpty()) {
            changeState(RouterState.FAULT, TransitionReason.FAULT, faults.summary());
        } else {
            initialize(TransitionReason.STARTUP);
        }
    }

    /**
     * One of this router's addresses was removed from its interface by something else (an
     * operator's {@code ip addr del}, another daemon): a master puts its addresses back and
     * announces them, and says so; in any other state the address is not ours to hold. Returns
     * whether it restored them.
     */
    public boolean addressRemoved(InetAddress address) {
        return addressRemoved(address, config.virtualAddresses().contains(address));
    }

    /**
     * {@link #addressRemoved} for an address the caller knows this router's owner holds, advertised
     * or not (keepalived's virtual_ipaddress_excluded: the owner puts it with the VIPs, the adverts
     * do not carry it).
     */
    public boolean addressRemoved(InetAddress address, boolean owned) {
        if (retired || state != RouterState.MASTER || !owned) {
            return false;
        }
        log.warn("{}: {} was removed from the interface while MASTER; adding it back", config.name(),
                address.getHostAddress());
        counters.restored();
        actions.claimAddresses();
        return true;
    }

    /**
     * One of this router's addresses was put on its interface by something else while this router
     * is not master: two hosts would answer for it, so it is removed again, and said. A master
     * keeps it (it is its own). Returns whether it removed it.
     */
    public boolean addressAdded(InetAddress address) {
        return addressAdded(address, config.virtualAddresses().contains(address));
    }

    /** {@link #addressAdded} for an address the caller knows this router's owner holds, advertised or not. */
    public boolean addressAdded(InetAddress address, boolean owned) {
        if (retired || state == RouterState.MASTER || !owned) {
            return false;
        }
        log.warn("{}: {} was added to the interface while {}; removing it (only the master holds its VIPs)",
                config.name(), address.getHostAddress(), state);
        actions.releaseAddresses();
        return true;
    }

    /**
     * Hands this router's place to a successor built from reloaded settings with the same
     * interface, VRID and family: cancels its timers and makes it deaf and silent, without a
     * transition, a priority-0 advert or releasing anything (the caller releases what the
     * successor does not claim). Returns what the successor needs to go on.
     */
    public Succession retire() {
        Succession s = new Succession(state, masterAddress, masterAdverIntervalCentis, masterDownDeadlineNanos,
                masterDownReason, preemptAllowedAtNanos, wantsMaster, lastTransition, counters);
        cancelTimers();
        retired = true;
        return s;
    }

    /**
     * The startup event of a successor (see {@link #retire()}): takes the predecessor's state
     * without a transition, so a reload of a master causes neither a transition nor a gap. A
     * master claims its addresses (they may have changed; claiming those it had is harmless and
     * announces them again) and advertises at once; a backup keeps its Master_Down deadline. A
     * fault the new settings bring (or clear) then changes state as usual.
     */
    public void startAfter(Succession previous) {
        if (state != RouterState.INITIALIZE) {
            return;
        }
        counters.addAll(previous.counters());
        lastTransition = previous.lastTransition();
        preemptAllowedAtNanos = previous.preemptAllowedAtNanos();
        switch (previous.state()) {
            case MASTER -> {
                state = RouterState.MASTER;
                masterAddress = config.primaryAddress();
                actions.claimAddresses();
                sendAdvert(effectivePriority);
                armAdverTimer();
            }
            case BACKUP -> adoptBackup(previous);
            case FAULT -> {
                state = RouterState.FAULT;
                actions.releaseAddresses();
            }
            default -> {
                start();
                return;
            }
        }
        log.info("{}: {} carried over by a reload (priority {})", config.name(), state, effectivePriority);
        if (!faults.isEmpty() && state != RouterState.FAULT) {
            changeState(RouterState.FAULT, TransitionReason.FAULT, faults.summary());
        } else if (faults.isEmpty() && state == RouterState.FAULT) {
            initialize(TransitionReason.FAULT_CLEARED);
        } else if (state == RouterState.BACKUP && config.priority() == VrrpPriority.OWNER && !maintenance) {
            changeState(RouterState.MASTER, TransitionReason.ADDRESS_OWNER, "");
        }
    }

    private void adoptBackup(Succession previous) {
        state = RouterState.BACKUP;
        masterAddress = previous.masterAddress();
        if (config.version() == VrrpVersion.V3) {
            masterAdverIntervalCentis = previous.masterAdverIntervalCentis();
        }
        actions.releaseAddresses();
        wantsMaster = previous.wantsMaster();
        long delay = previous.masterDownDeadlineNanos() == Succession.NO_DEADLINE
                ? (wantsMaster ? 0 : masterDownNanos())
                : Math.max(0, previous.masterDownDeadlineNanos() - scheduler.nanoTime());
        armMasterDownTimer(delay, previous.masterDownReason());
    }

    /**
     * Shutdown event: a master sends priority 0 and goes to Initialize; it releases the addresses
     * once a new master advertises (or after the longest Master_Down_Interval). The result
     * completes when the addresses are released.
     */
    public CompletableFuture<Void> stop() {
        if (state == RouterState.INITIALIZE) {
            return handover != null ? handover : CompletableFuture.completedFuture(null);
        }
        boolean wasMaster = state == RouterState.MASTER;
        changeState(RouterState.INITIALIZE, TransitionReason.SHUTDOWN, "");
        if (!wasMaster) {
            return CompletableFuture.completedFuture(null);
        }
        // Graceful handover: keep answering for the VIPs (without announcing them) until a new
        // master advertises, so clients see no gap beyond their ARP update; give up after the
        // longest Master_Down_Interval a backup can have.
        handover = new CompletableFuture<>();
        handoverStartNanos = scheduler.nanoTime();
        long bound = handoverBoundNanos();
        log.info("{}: stopping: sent priority 0; keeping the addresses until the new master's advert (at most {} ms)",
                config.name(), bound / 1_000_000);
        handoverTimer = scheduler.schedule(() -> {
            log.info("{}: no new master advertised within {} ms: releasing the addresses", config.name(),
                    bound / 1_000_000);
            finishHandover();
        }, bound);
        return handover;
    }

    /**
     * How long a resigning master keeps its addresses waiting for a new master's advert: the
     * longest Master_Down_Interval a backup can have, plus a margin for its wake-up.
     */
    private long handoverBoundNanos() {
        return 4 * RouterTimers.centisToNanos(masterAdverIntervalCentis) + 50_000_000L;
    }

    private void finishHandover() {
        if (handover == null) {
            return;
        }
        handoverTimer.cancel();
        actions.releaseAddresses();
        CompletableFuture<Void> done = handover;
        handover = null;
        done.complete(null);
    }

    /**
     * Puts the router in the operator's maintenance ({@code on}) or takes it out. In maintenance it
     * never becomes Master: no takeover when Master_Down_Timer fires, no preemption, no
     * address-owner start, no following its sync group into Master; it still hears adverts. A
     * master resigns the way a graceful stop does: it advertises priority 0, stops announcing and
     * keeps its addresses until a new master advertises, then goes to Backup and releases them. If
     * none does within the stop's bound, it releases them to nobody when {@code force}, and
     * otherwise leaves maintenance and goes on as master (nobody would hold the addresses). A
     * backup that knows of no master is refused the same way unless {@code force}. Taking it out
     * returns the router to the election: a backup whose Master_Down_Timer fired meanwhile takes
     * over now, a preempting one takes over at the master's next advert as usual. The result
     * completes with the outcome.
     */
    public CompletableFuture<Resignation> setMaintenance(boolean on, boolean force) {
        if (retired) {
            return CompletableFuture.completedFuture(Resignation.of(Resignation.Outcome.INTERRUPTED));
        }
        if (!on) {
            maintenance = false;
            endResignation(Resignation.of(Resignation.Outcome.INTERRUPTED));
            if (state == RouterState.MASTER) {
                resume();
            } else if (state == RouterState.BACKUP && config.priority() == VrrpPriority.OWNER) {
                changeState(RouterState.MASTER, TransitionReason.ADDRESS_OWNER, "");
            } else if (state == RouterState.BACKUP && wantsMaster && gate.mayBecomeMaster(this)) {
                changeState(RouterState.MASTER, masterDownReason, "maintenance ended");
            }
            return CompletableFuture.completedFuture(Resignation.of(Resignation.Outcome.NOT_MASTER));
        }
        if (resignation != null) {
            return resignation;
        }
        if (state == RouterState.BACKUP && masterAddress == null && !force) {
            return CompletableFuture.completedFuture(Resignation.of(Resignation.Outcome.NO_PEER));
        }
        maintenance = true;
        if (state != RouterState.MASTER) {
            return CompletableFuture.completedFuture(Resignation.of(Resignation.Outcome.NOT_MASTER));
        }
        cancelMasterTimers();
        sendAdvert(VrrpPriority.STOP);
        actions.stopAnnouncing();
        resignation = new CompletableFuture<>();
        resignStartNanos = scheduler.nanoTime();
        resignForce = force;
        long bound = handoverBoundNanos();
        log.info("{}: maintenance: sent priority 0; keeping the addresses until the new master's advert (at most {} ms)",
                config.name(), bound / 1_000_000);
        resignTimer = scheduler.schedule(this::resignBoundReached, bound);
        return resignation;
    }

    /** Whether the operator put this router in maintenance. */
    public boolean inMaintenance() {
        return maintenance;
    }

    /** When the last valid advert from another router with a priority above 0 came, on the scheduler's clock. */
    public OptionalLong lastPeerAdvertNanos() {
        long at = lastPeerAdvertNanos;
        return at == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(at);
    }

    /** A new master advertised while we resigned: it has the addresses now. */
    private void resigned(InetAddress newMaster) {
        long waited = scheduler.nanoTime() - resignStartNanos;
        log.info("{}: new master {} seen after {} ms: releasing the addresses", config.name(),
                newMaster.getHostAddress(), waited / 1_000_000);
        CompletableFuture<Resignation> done = resignation;
        resignation = null;
        resignTimer.cancel();
        changeState(RouterState.BACKUP, TransitionReason.MAINTENANCE, "new master " + newMaster.getHostAddress());
        masterAddress = newMaster;
        done.complete(new Resignation(Resignation.Outcome.HANDED_OVER, newMaster, waited));
    }

    private void resignBoundReached() {
        long waited = scheduler.nanoTime() - resignStartNanos;
        CompletableFuture<Resignation> done = resignation;
        resignation = null;
        if (resignForce) {
            log.warn("{}: no new master advertised within {} ms: releasing the addresses to nobody (forced)",
                    config.name(), waited / 1_000_000);
            changeState(RouterState.BACKUP, TransitionReason.MAINTENANCE, "forced, no new master");
            done.complete(new Resignation(Resignation.Outcome.RELEASED_TO_NOBODY, null, waited));
        } else {
            log.warn("{}: no new master advertised within {} ms: nobody would hold the addresses; staying MASTER,"
                    + " maintenance not entered", config.name(), waited / 1_000_000);
            maintenance = false;
            resume();
            done.complete(new Resignation(Resignation.Outcome.NO_PEER, null, waited));
        }
    }

    /** A master that resigned goes on: advertises and announces its addresses again. */
    private void resume() {
        if (adverTimer != null) {
            return;
        }
        actions.claimAddresses();
        sendAdvert(effectivePriority);
        armAdverTimer();
    }

    private void endResignation(Resignation outcome) {
        if (resignation != null) {
            CompletableFuture<Resignation> done = resignation;
            resignation = null;
            resignTimer.cancel();
            log.info("{}: resignation for maintenance ended: {}", config.name(), outcome.outcome());
            done.complete(outcome);
        }
    }

    /**
     * Raises ({@code reason} non-null) or clears ({@code null}) the fault from {@code source}: the
     * own interface down, a tracked interface or script with weight 0, a sync group member. The
     * router is in Fault while any source has one.
     */
    public void setFault(String source, String reason) {
        if (retired) {
            return;
        }
        boolean wasFaulty = !faults.isEmpty();
        if (!faults.set(source, reason)) {
            return;
        }
        if (!wasFaulty && !faults.isEmpty() && state != RouterState.INITIALIZE) {
            changeState(RouterState.FAULT, TransitionReason.FAULT, faults.summary());
        } else if (faults.isEmpty() && state == RouterState.FAULT) {
            initialize(TransitionReason.FAULT_CLEARED);
        }
        faults.changed();
    }

    /** Adds a listener run after every change of the set of faults (a sync group's). */
    public void addFaultListener(Runnable listener) {
        faults.addListener(listener);
    }

    /** Active faults by source, sorted by source; empty when healthy. An immutable snapshot. */
    public Map<String, String> faults() {
        return faults.snapshot();
    }

    /**
     * Follows a sync group member into Master or Backup (keepalived's vrrp_sync_group): only from
     * Backup to Master or Master to Backup; Fault is shared through {@link #setFault}.
     */
    public void followGroup(RouterState target, String member) {
        if (retired) {
            return;
        }
        if (target == RouterState.MASTER && state == RouterState.BACKUP && !maintenance) {
            changeState(RouterState.MASTER, TransitionReason.SYNC_GROUP, "with " + member);
        } else if (target == RouterState.BACKUP && state == RouterState.MASTER) {
            changeState(RouterState.BACKUP, TransitionReason.SYNC_GROUP, "with " + member);
        }
    }

    /**
     * Sets the effective priority (configured priority plus tracking weights, 1..254). A master
     * advertises it from the next advert; a backup uses it for the next decision and skew.
     */
    public void setEffectivePriority(int priority) {
        if (retired) {
            return;
        }
        int clamped = config.priority() == VrrpPriority.OWNER ? VrrpPriority.OWNER : Math.max(1, Math.min(254, priority));
        if (clamped != effectivePriority) {
            log.info("{}: effective priority {} -> {}", config.name(), effectivePriority, clamped);
            effectivePriority = clamped;
            if (state == RouterState.MASTER && resignation == null) {
                sendAdvert(effectivePriority);
                armAdverTimer();
            }
            priorityListeners.forEach(l -> l.accept(clamped));
        }
    }

    /** Records what each tracked item adds to the priority now, for status (set by {@link TrackedPriority}). */
    void setPriorityAdjustments(Map<String, Integer> adjustments) {
        priorityAdjustments = adjustments;
    }

    /** What each tracked item adds to the configured priority now (none: empty), sorted by item. */
    public Map<String, Integer> priorityAdjustments() {
        return new java.util.TreeMap<>(priorityAdjustments);
    }

    /**
     * Applies a reloaded config without a transition where the RFC allows: same VRID, version and
     * family. Returns false if the change needs a restart of the router.
     */
    public boolean reconfigure(RouterConfig next) {
        if (next.virtualRouterId() != config.virtualRouterId() || next.version() != config.version()
                || next.isIpv6() != config.isIpv6() || !next.virtualAddresses().equals(config.virtualAddresses())) {
            return false;
        }
        int delta = effectivePriority - config.priority();
        config = next;
        if (state == RouterState.BACKUP || state == RouterState.INITIALIZE) {
            masterAdverIntervalCentis = next.advertIntervalCentis();
        }
        setEffectivePriority(next.priority() + delta);
        return true;
    }

    /** An advertisement that passed the decoder's format checks, for this router's VRID. */
    public void receive(InboundPacket packet, VrrpAdvertisement ad) {
        if (retired) {
            return;
        }
        RouterConfig c = config;
        Optional<DropReason> drop = AdvertFilter.check(c, packet, ad);
        if (drop.isPresent()) {
            counters.dropped(drop.get());
            MismatchReason.of(drop.get()).ifPresent(m -> mismatch(packet, m, ad.maxAdverIntervalCentis(),
                    () -> AdvertFilter.explain(m, c, ad)));
            return;
        }
        counters.received();
        if (!AdvertFilter.sameAddresses(c, ad)) {
            mismatch(packet, MismatchReason.ADDRESS_LIST, ad.maxAdverIntervalCentis(),
                    () -> AdvertFilter.explain(MismatchReason.ADDRESS_LIST, c, ad));
        }
        if (ad.priority() != VrrpPriority.STOP) {
            lastPeerAdvertNanos = scheduler.nanoTime();
        }
        if (handover != null && ad.priority() != VrrpPriority.STOP) {
            log.info("{}: new master {} seen after {} ms: releasing the addresses", config.name(),
                    packet.source().getHostAddress(), (scheduler.nanoTime() - handoverStartNanos) / 1_000_000);
            finishHandover();
            return;
        }
        if (resignation != null) {
            if (ad.priority() != VrrpPriority.STOP) {
                resigned(packet.source());
            }
            return;
        }
        switch (state) {
            case BACKUP -> backupReceive(packet, ad);
            case MASTER -> masterReceive(packet, ad);
            default -> { }
        }
    }

    /**
     * A message for this router's VRID that was dropped before it could be read as an advert: the
     * decoder refused its format ({@code detail} says why) or the transport its authentication.
     * Counted; a version or authentication mismatch from a sender the router would otherwise
     * listen to is also reported like a refused advert.
     */
    public void dropped(InboundPacket packet, DropReason reason, String detail) {
        if (retired) {
            return;
        }
        counters.dropped(reason);
        if (AdvertFilter.sender(config, packet).isEmpty()) {
            MismatchReason.of(reason).ifPresent(m -> mismatch(packet, m, 0, () -> detail));
        }
    }

    /**
     * Records a sender configured differently and logs it once (see {@link PeerMismatches});
     * {@code senderIntervalCentis} is its advert interval, 0 if unknown.
     */
    private void mismatch(InboundPacket packet, MismatchReason reason, int senderIntervalCentis,
            Supplier<String> detail) {
        long window = PeerMismatches.windowNanos(config.version(), effectivePriority, config.advertIntervalCentis(),
                senderIntervalCentis);
        mismatches.record(packet.source(), reason, scheduler.nanoTime(), window, detail).ifPresent(what ->
                log.warn("{}: {} adverts for VRID {} from {} ({}: {}); {}. Logged again after a minute without such"
                        + " adverts", config.name(), reason.dropped() ? "dropping" : "accepting",
                        config.virtualRouterId(), packet.source().getHostAddress(), reason.label(), what,
                        reason.consequence()));
    }

    /** Senders whose adverts for this VRID are refused as configured differently, active ones first. */
    public List<PeerMismatch> mismatches() {
        return mismatches.snapshot(scheduler.nanoTime());
    }

    /**
     * Backup's advert handling (RFC 9568 §6.4.2). Both timers it arms run from the advert's
     * reception, so the time the packet spent reaching us ({@link InboundPacket#ageNanos()}) is
     * already gone from them: a takeover is not delayed by our own wake-up latency.
     */
    private void backupReceive(InboundPacket packet, VrrpAdvertisement ad) {
        if (ad.priority() == VrrpPriority.STOP) {
            masterAddress = null;
            armMasterDownTimer(RouterTimers.sinceReception(RouterTimers.skewNanos(config.version(),
                    effectivePriority, masterAdverIntervalCentis), packet.ageNanos()), TransitionReason.MASTER_STOPPED);
            return;
        }
        boolean preemptNow = !maintenance && config.preempt() && preemptDelayOver(packet, ad);
        masterDownInMaintenanceLogged = false;
        if (!preemptNow || ad.priority() >= effectivePriority) {
            if (config.version() == VrrpVersion.V3) {
                masterAdverIntervalCentis = ad.maxAdverIntervalCentis();
            }
            masterAddress = packet.source();
            wantsMaster = false;
            armMasterDownTimer(RouterTimers.sinceReception(masterDownNanos(), packet.ageNanos()),
                    TransitionReason.MASTER_DOWN);
        } else {
            masterDownReason = TransitionReason.PREEMPT;
        }
    }

    /**
     * Whether preempt-delay lets this backup preempt the master that sent {@code ad} now: runs the
     * delay as keepalived does (see {@link #preemptAllowedAtNanos}).
     */
    private boolean preemptDelayOver(InboundPacket packet, VrrpAdvertisement ad) {
        long delay = config.preemptDelay().toNanos();
        if (delay == 0) {
            return true;
        }
        if (ad.priority() >= effectivePriority) {
            preemptAllowedAtNanos = Succession.NO_DEADLINE;
            return false;
        }
        long now = scheduler.nanoTime();
        if (preemptAllowedAtNanos == Succession.NO_DEADLINE) {
            preemptAllowedAtNanos = now + delay;
            log.info("{}: {} is master with priority {} (ours {}): preempting after preempt-delay {} ms",
                    config.name(), packet.source().getHostAddress(), ad.priority(), effectivePriority, delay / 1_000_000);
        }
        return now >= preemptAllowedAtNanos;
    }

    private void masterReceive(InboundPacket packet, VrrpAdvertisement ad) {
        if (ad.priority() == VrrpPriority.STOP) {
            sendAdvert(effectivePriority);
            armAdverTimer();
            return;
        }
        if (ad.priority() > effectivePriority
                || (ad.priority() == effectivePriority && higher(packet.source(), config.primaryAddress()))) {
            if (config.version() == VrrpVersion.V3) {
                masterAdverIntervalCentis = ad.maxAdverIntervalCentis();
            }
            masterAddress = packet.source();
            // One last advert as master: when a split ends with the higher master's advert arriving
            // first, this is how it learns that we held and announced the addresses meanwhile (see
            // lowerPriorityMaster); without it the clients stay with us after we let go.
            sendAdvert(effectivePriority);
            changeState(RouterState.BACKUP, TransitionReason.HIGHER_PRIORITY,
                    "priority " + ad.priority() + " from " + packet.source().getHostAddress());
        } else {
            lowerPriorityMaster(packet, ad);
        }
    }

    /**
     * Another router advertises as master with a lower priority: the pair was split (a partition,
     * lost adverts, adverts one side refuses) and it took the addresses and announced them, so the
     * clients and switches send to it. It steps down at our next advert but announces nothing, so
     * the clients would keep sending to a host without the VIP until their ARP entries expire (the
     * fault lab measured tens of seconds). So we advertise at once and announce the addresses again
     * when the split starts, as keepalived does, and once more when that master has been silent for
     * a Master_Down_Interval (it stepped down, after announcing the addresses itself perhaps more
     * than once). RFC 9568 §6.4.3 only says to discard the advert. A stream of such adverts costs
     * two announcements, not one per advert.
     */
    private void lowerPriorityMaster(InboundPacket packet, VrrpAdvertisement ad) {
        boolean starts = splitTimer == null;
        if (!starts) {
            splitTimer.cancel();
        }
        splitTimer = scheduler.schedule(this::splitOver, masterDownNanos());
        if (starts) {
            log.info("{}: {} advertises as master with priority {} (ours {}): announcing the addresses again",
                    config.name(), packet.source().getHostAddress(), ad.priority(), effectivePriority);
            sendAdvert(effectivePriority);
            armAdverTimer();
            actions.claimAddresses();
        }
    }

    private void splitOver() {
        splitTimer = null;
        if (state == RouterState.MASTER) {
            log.info("{}: the lower-priority master went silent: announcing the addresses again", config.name());
            actions.claimAddresses();
        }
    }

    private void initialize(TransitionReason reason) {
        if (config.priority() == VrrpPriority.OWNER && !maintenance) {
            changeState(RouterState.MASTER, TransitionReason.ADDRESS_OWNER, "");
        } else {
            masterAdverIntervalCentis = config.advertIntervalCentis();
            masterAddress = null;
            changeState(RouterState.BACKUP, reason, "");
        }
    }

    /** The one place state changes: exit actions, entry actions, log, counter, listeners. */
    private void changeState(RouterState to, TransitionReason reason, String detail) {
        RouterState from = state;
        cancelTimers();
        endResignation(Resignation.of(Resignation.Outcome.INTERRUPTED));
        wantsMaster = false;
        if (from == RouterState.MASTER && to != RouterState.BACKUP) {
            // Leaving Master other than for a better master: backups take over after Skew_Time
            // instead of Master_Down_Interval (RFC 9568 §6.4.3).
            sendAdvert(VrrpPriority.STOP);
        }
        state = to;
        switch (to) {
            case MASTER -> {
                masterAddress = config.primaryAddress();
                actions.claimAddresses();
                sendAdvert(effectivePriority);
                armAdverTimer();
            }
            case BACKUP -> {
                preemptAllowedAtNanos = Succession.NO_DEADLINE;
                actions.releaseAddresses();
                armMasterDownTimer(masterDownNanos(), TransitionReason.MASTER_DOWN);
            }
            default -> {
                masterAddress = null;
                if (reason == TransitionReason.SHUTDOWN && from == RouterState.MASTER) {
                    actions.stopAnnouncing();
                } else {
                    actions.releaseAddresses();
                }
            }
        }
        Transition t = new Transition(config.name(), from, to, reason, detail, effectivePriority,
                scheduler.nanoTime());
        lastTransition = t;
        counters.transition(to);
        log.info("{}", t);
        for (TransitionListener l : listeners) {
            try {
                l.onTransition(t);
            } catch (RuntimeException e) {
                log.error("{}: transition listener failed", config.name(), e);
            }
        }
    }

    private long masterDownNanos() {
        return RouterTimers.masterDownNanos(config.version(), effectivePriority, masterAdverIntervalCentis);
    }

    private void armMasterDownTimer(long nanos, TransitionReason reason) {
        if (masterDownTimer != null) {
            masterDownTimer.cancel();
        }
        masterDownReason = reason;
        masterDownDeadlineNanos = scheduler.nanoTime() + nanos;
        masterDownTimer = scheduler.scheduleOnTime(actions::prepareClaim, this::masterDownTimerFired, nanos);
    }

    private void masterDownTimerFired() {
        masterDownTimer = null;
        masterDownDeadlineNanos = Succession.NO_DEADLINE;
        if (state == RouterState.BACKUP) {
            wantsMaster = true;
            if (maintenance) {
                if (!masterDownInMaintenanceLogged) {
                    masterDownInMaintenanceLogged = true;
                    log.warn("{}: no master heard for Master_Down_Interval, but in maintenance: staying BACKUP, nobody"
                            + " holds the addresses", config.name());
                }
            } else if (gate.mayBecomeMaster(this)) {
                changeState(RouterState.MASTER, masterDownReason, "");
            } else {
                log.info("{}: master down, waiting for the rest of its sync group", config.name());
            }
        }
    }

    private void armAdverTimer() {
        if (adverTimer != null) {
            adverTimer.cancel();
        }
        adverTimer = scheduler.schedule(this::adverTimerFired, RouterTimers.centisToNanos(config.advertIntervalCentis()));
    }

    private void adverTimerFired() {
        adverTimer = null;
        if (state == RouterState.MASTER) {
            sendAdvert(effectivePriority);
            armAdverTimer();
        }
    }

    private void cancelTimers() {
        cancelMasterTimers();
        if (masterDownTimer != null) {
            masterDownTimer.cancel();
            masterDownTimer = null;
        }
        masterDownDeadlineNanos = Succession.NO_DEADLINE;
    }

    /** Cancels what only a master runs: Adver_Timer and the split timer. */
    private void cancelMasterTimers() {
        if (adverTimer != null) {
            adverTimer.cancel();
            adverTimer = null;
        }
        if (splitTimer != null) {
            splitTimer.cancel();
            splitTimer = null;
        }
    }

    private void sendAdvert(int priority) {
        counters.sent();
        actions.sendAdvertisement(config.advertisement(priority));
    }

    /** Whether {@code a} is numerically greater than {@code b}, as unsigned bytes. */
    static boolean higher(InetAddress a, InetAddress b) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Integer.compare(x[i] & 0xff, y[i] & 0xff);
            if (c != 0) {
                return c > 0;
            }
        }
        return x.length > y.length;
    }

    /** Current state. */
    public RouterState state() {
        return state;
    }

    /** The configuration in force. */
    public RouterConfig config() {
        return config;
    }

    /** Priority advertised now (configured plus tracking). */
    public int effectivePriority() {
        return effectivePriority;
    }

    /** When a running preempt delay ends (on the scheduler's clock), if one runs (for status). */
    public OptionalLong preemptDelayEndsNanos() {
        long at = preemptAllowedAtNanos;
        return at == Succession.NO_DEADLINE || state != RouterState.BACKUP ? OptionalLong.empty() : OptionalLong.of(at);
    }

    /** Master_Adver_Interval in centiseconds. */
    public int masterAdverIntervalCentis() {
        return masterAdverIntervalCentis;
    }

    /** The current master's address (ours when master), if known. */
    public Optional<InetAddress> masterAddress() {
        return Optional.ofNullable(masterAddress);
    }

    /** The last transition, if any. */
    public Optional<Transition> lastTransition() {
        return Optional.ofNullable(lastTransition);
    }

    /** Counters for status and metrics. */
    public RouterCounters counters() {
        return counters;
    }
}
