package io.vipkeeper.appliance.keepalived;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What the parts of one import share: the notes, the output tree, and what one section says that
 * another needs (global_defs' VRRP version, the vrrp_scripts instances track, the
 * virtual_server_groups virtual servers name).
 */
final class ImportContext {
    /**
     * A vrrp_script, track_file or vrrp_track_process as keepalived defines it, without weight in
     * {@code body}; {@code weight} and {@code reverse} are keepalived's (see {@link Tracking}).
     */
    record Script(String name, Hocon body, int weight, boolean reverse, Origin origin) {
        Script(String name, Hocon body, int weight, Origin origin) {
            this(name, body, weight, false, origin);
        }
    }

    final Notes notes;
    /** The {@code vipkeeper { }} block written out. */
    final Hocon root = new Hocon();
    /** global_defs' vrrp_version; keepalived's default is 2. */
    int vrrpVersion = 2;
    /** The priority the next virtual rule without one gets, as keepalived numbers them. */
    long nextRulePriority = 16384;
    /** global_defs' vrrp_garp_master_* defaults, written into each instance's garp. */
    final Map<String, Object> garpDefaults = new LinkedHashMap<>();
    /** global_defs' lvs_sync_daemon, mapped once the instances are known. */
    Statement syncDaemon;
    /** What instances may track, by kind and keepalived name. */
    final Map<TrackKind, Map<String, Script>> trackers = new EnumMap<>(TrackKind.class);
    /** What was written into vipkeeper's config, by kind and output name. */
    final Map<TrackKind, Map<String, Hocon>> written = new EnumMap<>(TrackKind.class);
    final Map<String, Script> scripts = defined(TrackKind.SCRIPT);
    final Map<String, Statement> serverGroups = new LinkedHashMap<>();
    /** Instances in a sync group without global_tracking: keepalived ignores their tracking weights. */
    final java.util.Set<String> weightless = new java.util.HashSet<>();
    /** Instance names as written (keepalived names may need quoting). */
    final Map<String, String> instanceNames = new LinkedHashMap<>();

    ImportContext(Notes notes) {
        this.notes = notes;
    }

    /** The definitions of one kind, by keepalived name. */
    Map<String, Script> defined(TrackKind kind) {
        return trackers.computeIfAbsent(kind, k -> new LinkedHashMap<>());
    }

    /** The definitions of one kind written so far, by output name. */
    Map<String, Hocon> written(TrackKind kind) {
        return written.computeIfAbsent(kind, k -> new LinkedHashMap<>());
    }

    /** Section blocks in the order a person reads them. */
    Hocon vrrp() {
        return root.block("vrrp");
    }

    Hocon ipvs() {
        return root.block("ipvs");
    }

    /** An integer argument or empty, with keepalived's fallback reported. */
    OptionalInt integer(Statement s, int i, int min, int max) {
        return Values.integer(s, i, min, max, notes);
    }

    /** An option's number of a line: keepalived drops only that option when it is out of range. */
    OptionalInt option(Statement s, int i, int min, int max) {
        return Values.integer(s, i, min, max, notes, "its " + s.word(i - 1).orElse("") + " option");
    }

    /**
     * A notify program ({@code notify}, {@code notify_up}, ...) as {@code key}: vipkeeper runs one
     * absolute path and passes its own arguments ({@code passes}), so a command with arguments is
     * reported instead.
     */
    void notifyProgram(Statement s, Hocon into, String key, String passes) {
        List<String> command = Words.command(s);
        if (command.size() == 1 && command.get(0).startsWith("/")) {
            into.put(key, command.get(0));
        } else {
            unsupported(s, key + " is one absolute program path without arguments (vipkeeper passes " + passes
                    + ", as keepalived): wrap the command in a script");
        }
    }

    /** A section's name (its first word), or null, reported, when it has none: keepalived skips it. */
    String name(Statement block) {
        String name = block.word(1).orElse("");
        if (name.isEmpty()) {
            unsupported(block, "a " + block.keyword() + " needs a name; keepalived skips it");
            return null;
        }
        return name;
    }

    /** The generic report for a keyword vipkeeper has no counterpart for. */
    void unsupported(Statement s, String instead) {
        notes.leftOut(s.origin(), s.keyword(), instead);
    }
}
