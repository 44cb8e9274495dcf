package io.vipkeeper.appliance.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The files one parse of a config read (the main file, then every include as the parser reaches
 * it) and how each looked then: inode, size, modification time and content. A file that an editor
 * or a deployment tool was still writing while it was parsed no longer looks the same afterwards,
 * so the load starts over instead of taking half a file; the contents are also what the digest of
 * the config in effect is taken over.
 */
final class FilesRead {
    /**
     * Bytes one file may hold: generous (a config of 100,000 virtual servers is a few MiB), and far
     * below what a reload can hold in memory beside a running daemon.
     */
    static final long MAX_FILE_BYTES = 16L << 20;
    /** Bytes all files of one load together may hold. */
    static final long MAX_TOTAL_BYTES = 32L << 20;

    /** A file this load refuses to read: not a regular file, or too large. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private record Look(Path file, Object inode, long size, FileTime modified, byte[] content) {
        boolean same(Look o) {
            return Objects.equals(inode, o.inode) && size == o.size && modified.equals(o.modified)
                    && Arrays.equals(content, o.content);
        }
    }

    private final List<Look> looks = new ArrayList<>();
    private long total;

    /**
     * Reads {@code file} whole and remembers how it looked; refuses a file that is not a regular
     * one after following links, or would take this load past a size cap.
     */
    byte[] read(Path file) throws IOException {
        Look l = look(file, Math.min(MAX_FILE_BYTES, MAX_TOTAL_BYTES - total));
        looks.add(l);
        total += l.content().length;
        return l.content();
    }

    /** What {@link #read} found in {@code file} the last time it read it, if it did. */
    Optional<byte[]> content(Path file) {
        for (int i = looks.size() - 1; i >= 0; i--) {
            if (looks.get(i).file().equals(file)) {
                return Optional.of(looks.get(i).content());
            }
        }
        return Optional.empty();
    }

    /** Whether {@code file} still holds {@code content} (false if it cannot be read as it was). */
    static boolean holds(Path file, byte[] content) {
        try {
            return Arrays.equals(look(file, MAX_FILE_BYTES).content(), content);
        } catch (IOException e) {
            return false;
        }
    }

    /** The first file read that no longer looks as it did (or is gone), if any. */
    Optional<Path> changed() {
        for (Look l : looks) {
            try {
                if (!look(l.file(), MAX_FILE_BYTES).same(l)) {
                    return Optional.of(l.file());
                }
            } catch (IOException e) {
                return Optional.of(l.file());
            }
        }
        return Optional.empty();
    }

    /**
     * SHA-256 of the contents in the order they were read, as lowercase hex: for a file without
     * includes the same as {@code sha256sum FILE}, with includes as {@code cat FILE INCLUDE... | sha256sum}.
     */
    String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            looks.forEach(l -> sha.update(l.content()));
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static Look look(Path file, long limit) throws IOException {
        // Attributes first: a write between the two calls then shows as a change next time.
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        // Opening a FIFO blocks until a writer comes (a reload that never ends, holding the
        // daemon's lock); /dev/zero never ends and a growing file may not: none is read whole.
        if (!a.isRegularFile()) {
            throw new Refused(file + " is not a regular file");
        }
        if (a.size() > limit) {
            throw tooLarge(file, limit);
        }
        byte[] content;
        try (InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes((int) limit + 1);
        }
        if (content.length > limit) {
            throw tooLarge(file, limit);
        }
        return new Look(file, a.fileKey(), a.size(), a.lastModifiedTime(), content);
    }

    private static Refused tooLarge(Path file, long limit) {
        return new Refused(file + " is too large: " + (limit == MAX_FILE_BYTES
                ? "over " + MAX_FILE_BYTES + " bytes"
                : "all files of the config together over " + MAX_TOTAL_BYTES + " bytes"));
    }
}
