package io.vipkeeper.appliance.keepalived;

import java.util.ArrayList;
import java.util.List;

/** vrrp_sync_group to {@code vrrp.sync-groups}: the members; the group's own notify and tracking are reported. */
final class SyncGroupImport {
    private final ImportContext ctx;

    SyncGroupImport(ImportContext ctx) {
        this.ctx = ctx;
    }

    void map(Statement block) {
        String name = block.word(1).orElse("");
        List<String> members = new ArrayList<>();
        for (Statement s : block.children()) {
            switch (s.keyword()) {
                case "group" -> s.children().forEach(m -> {
                    if (ctx.instanceNames.containsKey(m.keyword())) {
                        members.add(m.keyword());
                    } else {
                        ctx.notes.fallback(m.origin(), m.keyword(), "no vrrp_instance of that name; keepalived "
                                + "leaves it out of the group, and so does the import");
                    }
                });
                case "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop" ->
                        ctx.unsupported(s, "vipkeeper has no group notify: each member's notify-script runs on its "
                                + "transitions (the members move together)");
                case "global_tracking", "sync_group_tracking_weight" -> ctx.unsupported(s, "vipkeeper, like keepalived "
                        + "without this, ignores tracking weights in sync groups");
                case "smtp_alert" -> ctx.unsupported(s, "vipkeeper sends no mail: send it from notify-script");
                default -> ctx.unsupported(s, "no vipkeeper counterpart in a sync group");
            }
        }
        if (members.size() < 2) {
            ctx.notes.fallback(block.origin(), "vrrp_sync_group", "fewer than two members: keepalived runs the "
                    + "instance on its own, and so does the import");
            return;
        }
        ctx.vrrp().block("sync-groups").put(name, members);
    }
}
