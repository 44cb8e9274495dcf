package io.vipkeeper.vrrp.fsm;

/** Told about every state change, on the router's event loop, after the entry actions ran. */
@FunctionalInterface
public interface TransitionListener {
    /** Must not block: hand slow work (notify scripts) to another thread. */
    void onTransition(Transition transition);
}
