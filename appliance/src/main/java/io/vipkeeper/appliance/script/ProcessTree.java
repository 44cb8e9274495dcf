package io.vipkeeper.appliance.script;

import io.vipkeeper.appliance.config.ScriptUser;
import io.vipkeeper.vrrp.linux.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kills every process of one run: the program, its descendants, and the processes that detached
 * from it (double fork, setsid). Those were re-parented to the daemon ({@link Subreaper}) and are
 * told apart from other runs' by the run's {@code VIPKEEPER_RUN} in their environment. Killing
 * repeats until none is left, since a process may fork between the scan and its SIGKILL.
 */
final class ProcessTree {
    private static final int ROUNDS = 50;
    private static final long ROUND_PAUSE_MS = 10;

    private ProcessTree() {
    }

    /**
     * SIGKILLs the run's processes; returns how many were killed.
     *
     * @param program the run's own process (started by the JDK)
     * @param marker the run's {@code VIPKEEPER_RUN=N} entry
     * @param user the user the run has, whose identity reading another user's environment needs
     */
    static int kill(Process program, String marker, Optional<ScriptUser> user, Subreaper reaper) {
        Set<Long> killed = new LinkedHashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            List<Long> victims = find(program.pid(), marker, user, reaper);
            if (victims.isEmpty()) {
                break;
            }
            for (long pid : victims) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                killed.add(pid);
            }
            try {
                Thread.sleep(ROUND_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return killed.size();
    }

    /** The live processes of the run: roots first, then their descendants. */
    static List<Long> find(long program, String marker, Optional<ScriptUser> user, Subreaper reaper) {
        List<ProcStat> all = ProcStat.all();
        Map<Long, List<Long>> children = new HashMap<>();
        Deque<Long> todo = new ArrayDeque<>();
        for (ProcStat p : all) {
            if (p.zombie()) {
                continue;
            }
            children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p.pid());
            if (p.pid() == program
                    || p.ppid() == reaper.self() && !reaper.startedHere(p.pid()) && carries(p.pid(), marker, user)) {
                todo.add(p.pid());
            }
        }
        Set<Long> out = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            long pid = todo.poll();
            if (out.add(pid)) {
                todo.addAll(children.getOrDefault(pid, List.of()));
            }
        }
        return List.copyOf(out);
    }

    /** Whether {@code pid}'s environment holds {@code marker}. */
    private static boolean carries(long pid, String marker, Optional<ScriptUser> user) {
        byte[] env = environ(pid, user);
        String s = "\0" + new String(env, StandardCharsets.UTF_8);
        return s.contains("\0" + marker + "\0") || s.endsWith("\0" + marker);
    }

    /**
     * /proc/PID/environ, read as the run's user if it has one: the file is the process owner's
     * (mode 0400) and reading it takes ptrace access, which root without CAP_DAC_OVERRIDE and
     * CAP_SYS_PTRACE (the systemd unit grants neither) has only to processes of its own uid. The
     * kernel checks the filesystem uid and gid for both, and those are per thread.
     */
    private static byte[] environ(long pid, Optional<ScriptUser> user) {
        Path file = Path.of("/proc", Long.toString(pid), "environ");
        if (user.isEmpty()) {
            return read(file);
        }
        int gid = Native.LIBC.setfsgid(user.get().gid());
        int uid = Native.LIBC.setfsuid(user.get().uid());
        try {
            return read(file);
        } finally {
            Native.LIBC.setfsuid(uid);
            Native.LIBC.setfsgid(gid);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            return new byte[0];
        }
    }
}
