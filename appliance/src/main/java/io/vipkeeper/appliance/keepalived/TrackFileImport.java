package io.vipkeeper.appliance.keepalived;

/**
 * track_file (and its older name vrrp_track_file): the file and its weight. Both read the number in
 * the file and add value times weight, so weight and reverse keep their meaning; they are kept
 * aside until an instance tracks the file (see {@link Tracking}). keepalived's init_file writes
 * the file at start, which vipkeeper never does.
 */
final class TrackFileImport {
    private final ImportContext ctx;

    TrackFileImport(ImportContext ctx) {
        this.ctx = ctx;
    }

    void map(Statement block) {
        String name = ctx.name(block);
        if (name == null) {
            return;
        }
        Hocon body = new Hocon();
        int weight = 1;
        boolean reverse = false;
        boolean hasFile = false;
        for (Statement s : block.children()) {
            switch (s.keyword()) {
                case "file" -> {
                    String path = s.word(1).orElse("");
                    if (!path.startsWith("/")) {
                        ctx.unsupported(s, "vipkeeper watches a file by absolute path: give the full path");
                        continue;
                    }
                    hasFile = true;
                    body.put("file", path);
                }
                case "weight" -> {
                    weight = weight(s, weight);
                    reverse = s.word(2).filter("reverse"::equals).isPresent();
                }
                case "init_file" -> initFile(s);
                default -> ctx.unsupported(s, "no vipkeeper counterpart in a track_file");
            }
        }
        if (!hasFile) {
            ctx.unsupported(block, "track_file " + name + " has no usable file line, so the import leaves it and its "
                    + "track_file lines out");
            return;
        }
        ctx.defined(TrackKind.FILE).put(name, new ImportContext.Script(name, body, weight, reverse, block.origin()));
    }

    /** keepalived takes any 32-bit weight here; vipkeeper's is the instance range, -254..254. */
    private int weight(Statement s, int fallback) {
        try {
            long w = Long.parseLong(s.word(1).orElse(""));
            if (w >= -254 && w <= 254) {
                return (int) w;
            }
            ctx.unsupported(s, "vipkeeper's track-file weight is -254..254 (a product below -253 puts the "
                    + "instance in FAULT either way): scale the value the file holds instead; the import keeps "
                    + fallback);
            return fallback;
        } catch (NumberFormatException e) {
            return ctx.integer(s, 1, -254, 254).orElse(fallback);
        }
    }

    private void initFile(Statement s) {
        String value = s.word(1).filter(v -> !v.equals("overwrite")).orElse("0");
        boolean overwrite = s.args().contains("overwrite");
        if (value.equals("0") && !overwrite) {
            ctx.notes.note(s.origin(), "init_file", "vipkeeper does not create the file, but reads a missing one "
                    + "as 0, the value keepalived would write; the directory must exist");
        } else {
            ctx.unsupported(s, "vipkeeper never writes the file: write " + value + " to it before the daemon starts "
                    + "(for example ExecStartPre in the systemd unit)" + (overwrite ? ", also over an old one" : ""));
        }
    }
}
