package io.vipkeeper.appliance.keepalived;

/**
 * The three things a keepalived VRRP instance tracks by name, each defined at the top of the file
 * and listed in an instance block: how keepalived spells them and where vipkeeper keeps them.
 */
enum TrackKind {
    SCRIPT("vrrp_script", "track_script", "scripts", "track-scripts", 253),
    FILE("track_file", "track_file", "track-files", "track-files", 254),
    PROCESS("vrrp_track_process", "track_process", "track-processes", "track-processes", 254);

    /** The top-level block that defines one. */
    final String definedBy;
    /** The instance block that lists them. */
    final String trackedBy;
    /** vipkeeper's vrrp block of definitions. */
    final String block;
    /** vipkeeper's instance key listing them. */
    final String instanceKey;
    /** The largest weight magnitude keepalived takes in an instance block. */
    final int maxWeight;

    TrackKind(String definedBy, String trackedBy, String block, String instanceKey, int maxWeight) {
        this.definedBy = definedBy;
        this.trackedBy = trackedBy;
        this.block = block;
        this.instanceKey = instanceKey;
        this.maxWeight = maxWeight;
    }
}
