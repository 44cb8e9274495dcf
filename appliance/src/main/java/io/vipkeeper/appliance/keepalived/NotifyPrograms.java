package io.vipkeeper.appliance.keepalived;

import java.util.List;

/**
 * An instance's notify_master, notify_backup, notify_fault and notify_stop to vipkeeper's
 * notify-master and the rest. keepalived runs each line as written, with the arguments it has and
 * none added; vipkeeper runs one program without arguments. A line with arguments is therefore
 * left out with the wrapper script to write. keepalived's optional user and group become the
 * instance's notify-user, which vipkeeper uses for every notify program of the instance.
 */
final class NotifyPrograms {
    /** Whether the instance has a notify line (notify-script). */
    boolean script;
    private String user;

    void program(ImportContext ctx, Statement s, Hocon out) {
        String key = s.keyword().replace('_', '-');
        List<String> command = s.word(1).map(Words::split).orElse(List.of());
        if (command.size() != 1 || !command.get(0).startsWith("/")) {
            // The command is not echoed: its arguments may hold a password (curl -u user:pw), and
            // notes go to stderr, which never carries secrets.
            ctx.unsupported(s, "vipkeeper runs " + key + " as one absolute program path without arguments: put "
                    + "the command of this line in a script of its own (#!/bin/sh, then exec the command) and name "
                    + "that script");
            return;
        }
        if (s.word(2).isPresent()) {
            String u = s.word(2).get() + s.word(3).map(g -> ":" + g).orElse("");
            if (user != null && !user.equals(u)) {
                ctx.unsupported(s, "vipkeeper runs every notify program of an instance as one notify-user (" + user
                        + " here): run this one as " + u + " from a wrapper (setpriv)");
                return;
            }
            if (user == null) {
                user = u;
                out.put("notify-user", u);
                ctx.notes.note(s.origin(), s.keyword(), "written as notify-user = " + u + ", which vipkeeper uses for every "
                        + "notify program of the instance, notify-script too");
            }
        }
        out.put(key, command.get(0));
    }
}
