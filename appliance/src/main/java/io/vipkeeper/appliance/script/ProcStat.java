package io.vipkeeper.appliance.script;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields of {@code /proc/PID/stat} that process-tree handling needs (proc(5)).
 *
 * @param pid the process
 * @param state R, S, D, Z (zombie), T, ...
 * @param ppid its parent (after orphaning: the nearest subreaper, or init)
 * @param session its session id
 */
record ProcStat(long pid, char state, long ppid, long session) {
    private static final Path PROC = Path.of("/proc");

    /** Whether it has exited and waits to be reaped. */
    boolean zombie() {
        return state == 'Z';
    }

    /** The process now, or empty if it is gone. */
    static Optional<ProcStat> of(long pid) {
        try {
            return Optional.of(parse(pid, Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Every process now (those that vanish while being read are left out). */
    static List<ProcStat> all() {
        List<ProcStat> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
            for (Path d : dirs) {
                of(Long.parseLong(d.getFileName().toString())).ifPresent(out::add);
            }
        } catch (IOException e) {
            // /proc is always there on Linux; without it there is nothing to find.
        }
        return out;
    }

    /** {@code pid (comm) state ppid pgrp session ...}; comm may hold spaces and parentheses. */
    static ProcStat parse(long pid, String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new ProcStat(pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[3]));
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
