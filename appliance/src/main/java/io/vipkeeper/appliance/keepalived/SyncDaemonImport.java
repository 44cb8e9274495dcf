package io.vipkeeper.appliance.keepalived;

import java.util.List;

/**
 * The IPVS connection sync daemon: global_defs' {@code lvs_sync_daemon IF INSTANCE [id N] [maxlen N]
 * [port N] [ttl N] [group ADDR]} and the
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
            if (i + 1 >= w.size()) {
                ctx.notes.fallback(s.origin(), s.keyword() + " " + option, "has no value: keepalived ignores it, "
                        + "and so does the import");
                continue;
            }
            switch (option) {
                case "id" -> ctx.option(s, i + 1, 0, 255).ifPresent(v -> sync.put("sync-id", v));
                // vipkeeper's ranges: 65507 is the largest UDP payload over IPv4.
                case "maxlen" -> ctx.option(s, i + 1, 1, 65535 - 20 - 8).ifPresent(v -> sync.put("max-length", v));
                case "port" -> ctx.option(s, i + 1, 1, 65535).ifPresent(v -> sync.put("port", v));
                case "ttl" -> ctx.option(s, i + 1, 1, 255).ifPresent(v -> sync.put("ttl", v));
                case "group" -> sync.put("group", w.get(i + 1));
                default -> ctx.notes.fallback(s.origin(), s.keyword() + " " + option, "not id, maxlen, port, ttl or "
                        + "group: keepalived refuses the word, and the import leaves it out");
            }
        }
        ctx.ipvs().comment("The kernel's connection sync daemon: master while the instance is MASTER.");
        ctx.ipvs().put("sync-daemon", sync);
    }
}
