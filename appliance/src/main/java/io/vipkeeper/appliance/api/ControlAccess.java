package io.vipkeeper.appliance.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Who may change runtime state over the control socket: root, and the members of
 * {@code api.control-group} when set, judged from the peer's credentials (SO_PEERCRED: uid and
 * gid, which a process cannot forge) and the account files, read at each write so a group change
 * needs no restart. Membership is what {@code id -G} lists: the peer's own gid, the primary group
 * of its user in /etc/passwd, or a member list in /etc/group naming the user.
 */
final class ControlAccess {
    /** The host's account files. */
    static final ControlAccess SYSTEM = new ControlAccess(Path.of("/etc/passwd"), Path.of("/etc/group"));

    private final Path passwd;
    private final Path group;

    /** Access judged from {@code passwd} and {@code group} (tests give their own). */
    ControlAccess(Path passwd, Path group) {
        this.passwd = passwd;
        this.group = group;
    }

    /**
     * A peer on the control socket.
     *
     * @param uid its user id
     * @param gids its group ids as the kernel gave them (SO_PEERCRED: the effective gid)
     * @param user its user name; null when /etc/passwd has none for the uid
     */
    record Peer(int uid, int[] gids, String user) {
        /** "uid 1000 (alice)", for the log and the answers. */
        String who() {
            return "uid " + uid + (user == null ? "" : " (" + user + ")");
        }
    }

    /** The peer with uid {@code uid} and gids {@code gids}, its user name looked up. */
    Peer peer(int uid, int[] gids) {
        String user = null;
        for (String[] f : entries(passwd)) {
            if (f.length > 3 && f[2].equals(Integer.toString(uid))) {
                user = f[0];
                break;
            }
        }
        return new Peer(uid, gids.clone(), user);
    }

    /** Why {@code p} may not write, given the control group; empty when it may. */
    Optional<String> refusal(Peer p, Optional<String> controlGroup) {
        if (p.uid() == 0) {
            return Optional.empty();
        }
        if (controlGroup.isEmpty()) {
            return Optional.of(p.who() + " may not change runtime state: only root may (api.control-group is not set)");
        }
        String name = controlGroup.get();
        String[] g = entries(group).stream().filter(f -> f.length > 2 && f[0].equals(name)).findFirst().orElse(null);
        if (g == null) {
            return Optional.of(p.who() + " may not change runtime state: api.control-group " + name
                    + " is not in " + group + ", so only root may");
        }
        String gid = g[2];
        boolean member = Arrays.stream(p.gids()).anyMatch(x -> Integer.toString(x).equals(gid))
                || p.user() != null && (g.length > 3 && Arrays.asList(g[3].split(",")).contains(p.user())
                        || entries(passwd).stream().anyMatch(f -> f.length > 3 && f[0].equals(p.user()) && f[3].equals(gid)));
        return member ? Optional.empty()
                : Optional.of(p.who() + " may not change runtime state: only root and members of group " + name + " may");
    }

    /** The colon-separated fields of each line; none when the file cannot be read (nobody is a member). */
    private static List<String[]> entries(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.startsWith("#"))
                    .map(l -> l.split(":", -1)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
