package io.vipkeeper.vrrp.fsm;

/**
 * One state change of a virtual router, as logged and passed to listeners.
 *
 * @param router the router's name
 * @param from state before
 * @param to state after
 * @param reason why
 * @param detail a human-readable addition (who sent what), possibly empty
 * @param priority the router's effective priority at the time
 * @param atNanos the scheduler's clock at the time
 */
public record Transition(String router, RouterState from, RouterState to, TransitionReason reason, String detail,
        int priority, long atNanos) {

    @Override
    public String toString() {
        return router + ": " + from + " -> " + to + " (" + reason.label()
                + (detail.isEmpty() ? "" : ": " + detail) + ")";
    }
}
