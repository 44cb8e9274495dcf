package io.vipkeeper.appliance.ipvs;

/**
 * One running IPVS connection sync daemon ({@code ipvsadm --start-daemon}).
 *
 * @param state {@link #MASTER} or {@link #BACKUP}
 * @param interfaceName where sync messages are sent or received
 * @param syncId the sync id, so several pairs can share a segment
 */
public record SyncDaemonState(int state, String interfaceName, int syncId) {
    /** IP_VS_STATE_MASTER: sends the connection table. */
    public static final int MASTER = 1;
    /** IP_VS_STATE_BACKUP: receives it. */
    public static final int BACKUP = 2;

    /** "master" or "backup". */
    public String stateName() {
        return stateName(state);
    }

    /** "master" for {@link #MASTER}, else "backup". */
    public static String stateName(int state) {
        return state == MASTER ? "master" : "backup";
    }
}
