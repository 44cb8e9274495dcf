package io.vipkeeper.vrrp.fsm;

import java.time.Duration;

/**
 * When a new master announces its addresses (gratuitous ARP / unsolicited NA), as keepalived's
 * garp_master_repeat, garp_master_delay and garp_master_refresh: a burst at once, a second burst
 * after the delay, and then one burst every refresh interval while master.
 */
public final class AnnouncementSchedule {
    private final VrrpScheduler scheduler;
    private final Runnable announceOnce;
    private final int repeat;
    private final long delayNanos;
    private final long refreshNanos;
    private VrrpScheduler.Timer timer;
    private long bursts;

    /**
     * @param announceOnce sends one announcement of every address; must not block
     * @param repeat announcements per burst (0 disables announcing)
     * @param delay before the second burst; zero means no second burst
     * @param refresh between later bursts; zero means none
     */
    public AnnouncementSchedule(VrrpScheduler scheduler, Runnable announceOnce, int repeat, Duration delay,
            Duration refresh) {
        this.scheduler = scheduler;
        this.announceOnce = announceOnce;
        this.repeat = repeat;
        this.delayNanos = delay.toNanos();
        this.refreshNanos = refresh.toNanos();
    }

    /** Starts the schedule on becoming master (restarts it if running). */
    public void start() {
        stop();
        burst();
        if (delayNanos > 0) {
            timer = scheduler.schedule(this::secondBurst, delayNanos);
        } else {
            scheduleRefresh();
        }
    }

    /** Stops further bursts on leaving master; idempotent. */
    public void stop() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** Bursts sent so far (for tests and status). */
    public long bursts() {
        return bursts;
    }

    private void secondBurst() {
        burst();
        scheduleRefresh();
    }

    private void scheduleRefresh() {
        timer = refreshNanos > 0 ? scheduler.schedule(this::refresh, refreshNanos) : null;
    }

    private void refresh() {
        burst();
        scheduleRefresh();
    }

    private void burst() {
        bursts++;
        for (int i = 0; i < repeat; i++) {
            announceOnce.run();
        }
    }
}
