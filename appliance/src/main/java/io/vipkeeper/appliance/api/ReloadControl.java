package io.vipkeeper.appliance.api;

/** Where {@code POST /reload} goes: the daemon's reload, the same one SIGHUP runs. */
@FunctionalInterface
public interface ReloadControl {
    /** How the summary of a reload refused for the moment (starting, stopping) begins. */
    String NOT_NOW = "not now: ";

    /**
     * Re-reads the config as SIGHUP does and returns the outcome. Reloads serialize: a call while
     * another reload runs waits for it, then reloads again (the file may have changed since the
     * first one read it).
     *
     * @param who who asked, for the log ("uid 0 (root)")
     */
    ReloadResult reload(String who);
}
