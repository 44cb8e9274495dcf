package io.vipkeeper.appliance.keepalived;

import java.util.List;

/**
 * The IPVS connection sync daemon: global_defs' {@code lvs_sync_daemon IF INSTANCE [id N]} and the
 * deprecated per-instance {@code lvs_sync_daemon_interface IF}, both to {@code ipvs.sync-daemon}.
 */
final class SyncDaemonImport {
    private SyncDaemonImport() {
    }

    /** Writes the sync daemon for {@code instance} on {@code iface}; options from word {@code from} on. */
    static void map(ImportContext ctx, Statement s, String iface, String instance, int from) {
        if (iface == null || instance == null) {
            ctx.unsupported(s, "needs an interface and a VRRP instance; write ipvs.sync-daemon by hand");
            return;
        }
        Hocon sync = new Hocon();
        sync.put("instance", ctx.instanceNames.getOrDefault(instance, instance));
        sync.put("interface", iface);
        List<String> w = s.words();
        for (int i = from; i < w.size(); i += 2) {
            String option = w.get(i);
            if (option.equals("id") && i + 1 < w.size()) {
                ctx.integer(s, i + 1, 0, 255).ifPresent(v -> sync.put("sync-id", v));
            } else {
                ctx.notes.leftOut(s.origin(), s.keyword() + " " + option, "vipkeeper sets only the interface, "
                        + "instance and sync-id of the sync daemon; the kernel's defaults apply to the rest");
            }
        }
        ctx.ipvs().comment("The kernel's connection sync daemon: master while the instance is MASTER.");
        ctx.ipvs().put("sync-daemon", sync);
    }
}
