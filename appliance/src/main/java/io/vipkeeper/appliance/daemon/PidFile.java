package io.vipkeeper.appliance.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import jnr.constants.platform.Errno;
import jnr.constants.platform.OpenFlags;

/**
 * The running daemon's pid file, so {@code vipkeeper reload} and operators find it and a second
 * daemon on the same paths refuses to start. Its path is an option ({@code --pid-file}): two
 * daemons in different network namespaces of one host (labs, tests) each name their own.
 *
 * <p>The daemon holds an exclusive {@code flock(2)} on the file for its lifetime (the kernel drops
 * it when the process dies, however it dies). So of daemons started at once exactly one gets it,
 * and a file that no process holds is stale whatever pid it names: a pid that may since belong to
 * anything.
 */
public final class PidFile {
    /** Where the systemd unit and the tools look by default. */
    public static final Path DEFAULT = Path.of("/run/vipkeeper/vipkeeper.pid");
    /** flock(2) operations (sys/file.h). */
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    /**
     * How often a start tries for the lock, 50 ms apart: {@link #daemon} takes a shared lock for
     * an instant to see whether anyone holds the file, which must not turn a start away.
     */
    private static final int ATTEMPTS = 10;

    private final Path path;
    private final int fd;

    private PidFile(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Locks {@code path} (creating it and its directory) and writes this process's pid to it.
     *
     * @throws IllegalStateException naming the other daemon if one holds it
     */
    public static PidFile claim(Path path) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the directory of the pid file " + path + ": " + e, e);
        }
        for (int attempt = 1; ; attempt++) {
            int fd = PidLibc.Holder.LIBC.open(path.toString(), OpenFlags.O_RDWR.intValue() | OpenFlags.O_CREAT.intValue()
                    | OpenFlags.O_CLOEXEC.intValue(), 0644);
            if (fd < 0) {
                throw new IllegalStateException("cannot open the pid file " + path + ": " + error());
            }
            int locked = PidLibc.Holder.LIBC.flock(fd, LOCK_EX | LOCK_NB);
            int errno = PidLibc.Holder.errno();
            if (locked == 0 && sameFile(fd, path)) {
                byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
                if (PidLibc.Holder.LIBC.ftruncate(fd, 0) != 0 || PidLibc.Holder.LIBC.pwrite(fd, pid, pid.length, 0L) != pid.length) {
                    String error = error();
                    PidLibc.Holder.LIBC.close(fd);
                    throw new IllegalStateException("cannot write the pid file " + path + ": " + error);
                }
                return new PidFile(path, fd);
            }
            // Held by another process, or locked after a stopping daemon removed it (retry on the new file).
            PidLibc.Holder.LIBC.close(fd);
            if (locked != 0 && errno != Errno.EWOULDBLOCK.intValue()) {
                throw new IllegalStateException("cannot lock the pid file " + path + ": " + describe(errno));
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException(read(path).map(p -> "another vipkeeper runs as pid " + p)
                        .orElse("another vipkeeper holds the pid file") + " (" + path
                        + "); a second daemon needs its own --pid-file");
            }
            sleep();
        }
    }

    /**
     * The pid of the daemon that holds {@code path}, for sending it a signal.
     *
     * @throws IllegalStateException saying why there is none: no file, a file nobody holds (stale),
     *     or one naming a process that is not vipkeeper
     */
    public static long daemon(Path path) {
        Optional<Long> pid = read(path);
        if (pid.isEmpty()) {
            throw new IllegalStateException("no running daemon (" + path + ")");
        }
        if (!held(path)) {
            throw new IllegalStateException("no running daemon: " + path + " names pid " + pid.get()
                    + ", but no vipkeeper holds it (a stale file); not signalling pid " + pid.get());
        }
        String command = commandLine(pid.get());
        if (!command.contains("vipkeeper")) {
            throw new IllegalStateException("no running daemon: pid " + pid.get() + " of " + path + " is not vipkeeper ("
                    + (command.isEmpty() ? "no such process" : command) + "); not signalling it");
        }
        return pid.get();
    }

    /** The pid in {@code path}, if it holds one. */
    public static Optional<Long> read(Path path) {
        try {
            return Optional.of(Long.parseLong(Files.readString(path, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Removes the file (if it is still the one locked) and drops the lock. */
    public void release() {
        try {
            if (sameFile(fd, path)) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Nothing to do at exit: a file nobody holds is stale, and the next start takes it over.
        } finally {
            PidLibc.Holder.LIBC.close(fd);
        }
    }

    /** Whether some process holds an exclusive lock on {@code path} (a shared one can then not be had). */
    private static boolean held(Path path) {
        int fd = PidLibc.Holder.LIBC.open(path.toString(), OpenFlags.O_RDONLY.intValue() | OpenFlags.O_CLOEXEC.intValue(), 0);
        if (fd < 0) {
            return false;
        }
        try {
            return PidLibc.Holder.LIBC.flock(fd, LOCK_SH | LOCK_NB) != 0 && PidLibc.Holder.errno() == Errno.EWOULDBLOCK.intValue();
        } finally {
            PidLibc.Holder.LIBC.close(fd); // also drops a shared lock just taken
        }
    }

    /** Whether {@code fd} is the file at {@code path} (not one removed from there since it was opened). */
    private static boolean sameFile(int fd, Path path) {
        try {
            Map<String, Object> attrs = Files.readAttributes(path, "unix:dev,ino");
            // The open file's own link in /proc: stat through it is fstat(fd), removed or not.
            Map<String, Object> open = Files.readAttributes(Path.of("/proc/self/fd", Integer.toString(fd)), "unix:dev,ino");
            return attrs.get("dev").equals(open.get("dev")) && attrs.get("ino").equals(open.get("ino"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** {@code /proc/PID/cmdline} with spaces between the arguments; empty if there is no such process. */
    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String error() {
        return describe(PidLibc.Holder.errno());
    }

    private static String describe(int errno) {
        Errno e = Errno.valueOf(errno);
        return e == null ? "errno " + errno : e.description();
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the pid file", e);
        }
    }
}
