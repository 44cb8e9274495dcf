package io.vipkeeper.appliance.health;

/**
 * Rise/fall hysteresis of one real server (keepalived's checker semantics): while up, {@code fall}
 * consecutive failures take it down; while down, {@code rise} consecutive successes bring it up.
 * A result of the other kind resets the run. Pure logic, not thread-safe: one caller at a time.
 */
public final class RiseFall {
    private final int rise;
    private final int fall;
    private boolean up;
    /** Consecutive results of the kind that would change the state. */
    private int run;

    /**
     * @param rise consecutive successes that bring a down server up (1..)
     * @param fall consecutive failures that take an up server down (1..)
     * @param up the state before any result
     */
    public RiseFall(int rise, int fall, boolean up) {
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise and fall must be at least 1: " + rise + "/" + fall);
        }
        this.rise = rise;
        this.fall = fall;
        this.up = up;
    }

    /** Records one check; returns whether the state changed with it. */
    public boolean record(boolean ok) {
        if (ok == up) {
            run = 0;
            return false;
        }
        run++;
        if (run < (up ? fall : rise)) {
            return false;
        }
        up = !up;
        run = 0;
        return true;
    }

    /** The current state. */
    public boolean up() {
        return up;
    }

    /** Consecutive results so far towards the next change (failures while up, successes while down). */
    public int run() {
        return run;
    }
}
