package io.vipkeeper.vrrp.fsm;

import java.net.InetAddress;

/**
 * What a router hands the router that replaces it when a reload changes its settings but not its
 * identity (interface, VRID, family): the state with its timers and counters, so the successor
 * goes on where it left off. A master stays master without a priority-0 advert or a gap; a backup
 * keeps its Master_Down deadline. Made by {@link VirtualRouter#retire()}, taken by
 * {@link VirtualRouter#startAfter(Succession)}.
 *
 * @param state the state the predecessor was in
 * @param masterAddress the master it knew (ours when master), or null
 * @param masterAdverIntervalCentis Master_Adver_Interval it had learned
 * @param masterDownDeadlineNanos when its Master_Down_Timer would have fired, or {@link #NO_DEADLINE}
 * @param masterDownReason the reason that timer carried
 * @param preemptAllowedAtNanos the end of its running preempt delay, or NO_DEADLINE
 * @param wantsMaster its Master_Down_Timer fired and it waited for its sync group
 * @param lastTransition its last transition, or null
 * @param counters its counters, carried over so status does not restart from zero
 */
public record Succession(RouterState state, InetAddress masterAddress, int masterAdverIntervalCentis,
        long masterDownDeadlineNanos, TransitionReason masterDownReason, long preemptAllowedAtNanos,
        boolean wantsMaster, Transition lastTransition, RouterCounters counters) {

    /** {@link #masterDownDeadlineNanos} when no Master_Down_Timer was armed. */
    public static final long NO_DEADLINE = Long.MIN_VALUE;
}
