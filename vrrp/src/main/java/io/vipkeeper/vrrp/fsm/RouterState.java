package io.vipkeeper.vrrp.fsm;

/**
 * States of a virtual router: RFC 9568 §6.4 plus Fault for tracked failures (as keepalived).
 */
public enum RouterState {
    /** Not running: before start and after stop. */
    INITIALIZE,
    /** Watching the master; takes over when Master_Down_Timer fires. */
    BACKUP,
    /** Owns the virtual addresses and sends advertisements. */
    MASTER,
    /** A tracked interface or script failed: neither sends nor owns anything. */
    FAULT
}
