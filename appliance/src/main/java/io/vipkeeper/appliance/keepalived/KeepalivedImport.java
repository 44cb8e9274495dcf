package io.vipkeeper.appliance.keepalived;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One import: reads a keepalived.conf, maps each top-level section in the order its parts depend
 * on each other (global_defs, scripts and server groups before the instances and virtual servers
 * that name them), and writes the vipkeeper config grouped as a person would: globals, VRRP
 * (scripts, instances, sync groups), then IPVS.
 */
public final class KeepalivedImport {
    /** The config written, every note, and whether everything was carried over. */
    public record Result(String config, List<Notes.Note> notes, boolean complete) {
    }

    private static final Set<String> NOT_YET = Set.of("bfd_instance",
            "garp_group", "linkbeat_interfaces", "net_namespace", "net_namespace_ipvs", "static_track_group",
            "track_group");

    /** track_file's names; vrrp_track_file is the older one keepalived still reads. */
    private static final Set<String> TRACK_FILE = Set.of("track_file", "vrrp_track_file");

    private KeepalivedImport() {
    }

    /** Imports {@code file}; an unreadable top file throws, everything else is a note. */
    public static Result run(Path file, String configId) throws IOException {
        Notes notes = new Notes();
        List<Statement> top = StatementParser.parse(ConfigLines.read(file, configId, notes), notes);
        ImportContext ctx = new ImportContext(notes);
        top.stream().filter(s -> s.keyword().equals("global_defs")).forEach(s -> new GlobalDefsImport(ctx).map(s));
        boolean anyVrrp = top.stream().anyMatch(s -> s.keyword().equals("vrrp_instance"));
        boolean anyIpvs = top.stream().anyMatch(s -> s.keyword().equals("virtual_server"));
        if (anyIpvs) {
            ctx.root.comment("keepalived programs IPVS; so does this file (nftables lacks some of what keepalived sets).");
            ctx.root.put("data-plane", new Hocon.Raw("ipvs"));
        }
        if (!anyVrrp && !anyIpvs) {
            ctx.root.comment("The keepalived file configures no instance and no virtual server.");
            ctx.root.put("allow-empty", true);
        }
        if (!ctx.garpDefaults.isEmpty()) {
            Hocon garp = ctx.vrrp().block("instance-defaults").block("garp");
            ctx.garpDefaults.forEach(garp::put);
        }
        if (anyVrrp) {
            ctx.vrrp().block("scripts");
            if (top.stream().anyMatch(s -> TRACK_FILE.contains(s.keyword()))) {
                ctx.vrrp().block("track-files");
            }
            if (top.stream().anyMatch(s -> s.keyword().equals("vrrp_track_process"))) {
                ctx.vrrp().block("track-processes");
            }
            ctx.vrrp().block("instances");
        }
        for (Statement s : top) {
            switch (s.keyword()) {
                case "vrrp_script" -> new VrrpScriptImport(ctx).map(s);
                case "track_file", "vrrp_track_file" -> new TrackFileImport(ctx).map(s);
                case "vrrp_track_process" -> new TrackProcessImport(ctx).map(s);
                case "virtual_server_group" -> s.word(1).ifPresent(n -> ctx.serverGroups.put(n, s));
                default -> {
                }
            }
        }
        top.stream().filter(s -> s.keyword().equals("vrrp_sync_group"))
                .filter(g -> g.children().stream().noneMatch(c -> c.keyword().equals("global_tracking")))
                .flatMap(g -> g.children().stream()).filter(c -> c.keyword().equals("group"))
                .flatMap(c -> c.children().stream()).forEach(m -> ctx.weightless.add(m.keyword()));
        VrrpInstanceImport instances = new VrrpInstanceImport(ctx);
        top.stream().filter(s -> s.keyword().equals("vrrp_instance")).forEach(instances::map);
        if (ctx.syncDaemon != null) {
            Statement s = ctx.syncDaemon;
            SyncDaemonImport.map(ctx, s, s.word(1).orElse(null), s.word(2).orElse(null), 3);
        }
        SyncGroupImport groups = new SyncGroupImport(ctx);
        top.stream().filter(s -> s.keyword().equals("vrrp_sync_group")).forEach(groups::map);
        VirtualServerImport servers = new VirtualServerImport(ctx);
        top.stream().filter(s -> s.keyword().equals("virtual_server")).forEach(servers::map);
        for (Statement s : top) {
            otherTopLevel(ctx, s);
        }
        for (TrackKind kind : TrackKind.values()) {
            ctx.defined(kind).values().stream().filter(sc -> ctx.written(kind).keySet().stream()
                    .noneMatch(w -> w.equals(sc.name()) || w.startsWith(sc.name() + "-weight-")))
                    .forEach(sc -> notes.note(sc.origin(), kind.definedBy, sc.name() + " is tracked by no instance; "
                            + "keepalived watches it to no effect, the import leaves it out"));
        }
        return new Result(render(file, ctx, notes), notes.all(), !notes.anyLeftOut());
    }

    /** global_defs keywords operators put at the top level by mistake. */
    private static final java.util.Set<String> GLOBAL_DEFS_ONLY = java.util.Set.of("lvs_timeouts", "lvs_sync_daemon",
            "router_id", "script_user", "enable_script_security", "vrrp_version", "vrrp_garp_master_delay",
            "vrrp_garp_master_repeat", "notification_email", "notification_email_from", "smtp_server", "lvs_flush");

    private static void otherTopLevel(ImportContext ctx, Statement s) {
        switch (s.keyword()) {
            case "global_defs", "vrrp_script", "virtual_server_group", "vrrp_instance", "vrrp_sync_group",
                    "virtual_server", "track_file", "vrrp_track_file", "vrrp_track_process" -> {
            }
            case "static_ipaddress", "static_routes", "static_rules" -> ctx.unsupported(s, "vipkeeper manages only "
                    + "VIPs: configure static addresses and routes in the system's network config");
            case "SSL" -> ctx.unsupported(s, "vipkeeper's https checks present no client certificate; trust is "
                    + "health-check.tls.ca-file");
            default -> {
                if (NOT_YET.contains(s.keyword())) {
                    ctx.unsupported(s, "no vipkeeper counterpart yet: track with a vrrp script instead");
                } else if (GLOBAL_DEFS_ONLY.contains(s.keyword())) {
                    ctx.notes.fallback(s.origin(), s.keyword(), "belongs inside global_defs { }: keepalived skips it"
                            + " here as an unknown keyword, and so does the import; move it into global_defs");
                } else {
                    ctx.notes.fallback(s.origin(), s.keyword(), "unknown keyword: keepalived skips it, and so does "
                            + "the import");
                }
            }
        }
    }

    private static String render(Path file, ImportContext ctx, Notes notes) {
        Hocon top = new Hocon();
        top.comment("vipkeeper config imported from " + file.getFileName() + " by `vipkeeper import-keepalived`.");
        top.comment("Check it with `vipkeeper check -f FILE` before use.");
        List<Notes.Note> left = notes.all().stream().filter(n -> n.kind() == Notes.Kind.LEFT_OUT).toList();
        if (!left.isEmpty()) {
            top.comment("");
            top.comment("Not carried over (what to do instead):");
            left.forEach(n -> top.comment("  " + n));
        }
        top.put("vipkeeper", ctx.root);
        return top.render();
    }
}
