package io.vipkeeper.appliance.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a program file may be run by the daemon, which runs as root: the file and every
 * directory above it must be owned by root and writable by nobody else, or whoever can write
 * there can run code as root. The rule of keepalived's {@code enable_script_security}
 * (check_security in keepalived/core/notify.c): not root-owned, or writable by others, or
 * group-writable with a group other than root, is unsafe; a directory with the sticky bit (/tmp)
 * may be writable by all, since nobody but root can replace a root-owned file in it. Symbolic
 * links on the way must be root's, and the path they lead to is checked too. Checked when the
 * config is read and again before every run, since the file may change in between.
 */
public final class ScriptSecurity {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_ISVTX = 01000;
    private static final int S_IWGRP = 020;
    private static final int S_IWOTH = 02;

    private ScriptSecurity() {
    }

    /** Why {@code program} must not run, or empty; a missing file is a problem. */
    public static Optional<String> problem(String program) {
        return check(program, false);
    }

    /**
     * Why {@code program} must not run, or empty; a file that does not exist (yet) is no problem,
     * as a config may be installed before its scripts, and runs refuse it until it exists.
     */
    public static Optional<String> problemIfExists(String program) {
        return check(program, true);
    }

    private static Optional<String> check(String program, boolean missingOk) {
        Path path;
        try {
            path = Path.of(program);
        } catch (java.nio.file.InvalidPathException e) {
            // bench-fuzz found a NUL in a command: an exception out of the loader, not a problem.
            return Optional.of("\"" + program.replace("\0", "\\0") + "\" is not a valid path: " + e.getReason());
        }
        try {
            Optional<String> literal = walk(path);
            if (literal.isPresent()) {
                return literal;
            }
            Path real = path.toRealPath();
            if (!real.equals(path)) {
                Optional<String> resolved = walk(real);
                if (resolved.isPresent()) {
                    return resolved;
                }
            }
            if (!Files.isRegularFile(real)) {
                return Optional.of(real + " is not a regular file");
            }
            return Optional.empty();
        } catch (NoSuchFileException e) {
            return missingOk ? Optional.empty() : Optional.of(program + " does not exist");
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot check " + program + ": " + e);
        }
    }

    /** Checks "/", then each longer prefix of {@code path}, without following the last link. */
    private static Optional<String> walk(Path path) throws IOException {
        List<Path> prefixes = new ArrayList<>();
        for (Path p = path; p != null; p = p.getParent()) {
            prefixes.add(0, p);
        }
        for (Path p : prefixes) {
            Optional<String> unsafe = unsafe(p);
            if (unsafe.isPresent()) {
                return unsafe;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unsafe(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        int uid = (Integer) a.get("uid");
        int gid = (Integer) a.get("gid");
        int mode = (Integer) a.get("mode");
        int type = mode & S_IFMT;
        if (uid != 0) {
            return Optional.of(p + " is owned by uid " + uid + ", not root");
        }
        if (type == S_IFLNK || type == S_IFDIR && (mode & S_ISVTX) != 0) {
            return Optional.empty();
        }
        String perms = String.format("mode %04o", mode & 07777);
        if ((mode & S_IWOTH) != 0) {
            return Optional.of(p + " is writable by others (" + perms + ")");
        }
        if ((mode & S_IWGRP) != 0 && gid != 0) {
            return Optional.of(p + " is writable by group " + gid + " (" + perms + ")");
        }
        if (type != S_IFDIR && type != S_IFREG) {
            return Optional.of(p + " is neither a directory nor a regular file");
        }
        return Optional.empty();
    }
}
