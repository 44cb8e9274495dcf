package io.vipkeeper.appliance.ipvs;

/**
 * One running IPVS connection sync daemon ({@code ipvsadm --start-daemon}).
 *
 * @param state {@link io.vipkeeper.appliance.ipvs.genl.Ipvs#STATE_MASTER} or {@code STATE_BACKUP}
 * @param interfaceName where sync messages are sent or received
 * @param syncId the sync id, so several pairs can share a segment
 */
public record SyncDaemonState(int state, String interfaceName, int syncId) {
    /** "master" or "backup". */
    public String stateName() {
        return stateName(state);
    }

    /** "master" for {@code STATE_MASTER}, else "backup". */
    public static String stateName(int state) {
        return state == io.vipkeeper.appliance.ipvs.genl.Ipvs.STATE_MASTER ? "master" : "backup";
    }
}
