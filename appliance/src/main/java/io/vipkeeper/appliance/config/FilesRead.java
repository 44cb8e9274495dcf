package io.vipkeeper.appliance.config;

import java.io.IOException;
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
    private record Look(Path file, Object inode, long size, FileTime modified, byte[] content) {
        boolean same(Look o) {
            return Objects.equals(inode, o.inode) && size == o.size && modified.equals(o.modified)
                    && Arrays.equals(content, o.content);
        }
    }

    private final List<Look> looks = new ArrayList<>();

    /** Reads {@code file} whole and remembers how it looked. */
    byte[] read(Path file) throws IOException {
        Look l = look(file);
        looks.add(l);
        return l.content();
    }

    /** The first file read that no longer looks as it did (or is gone), if any. */
    Optional<Path> changed() {
        for (Look l : looks) {
            try {
                if (!look(l.file()).same(l)) {
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

    private static Look look(Path file) throws IOException {
        // Attributes first: a write between the two calls then shows as a change next time.
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        byte[] content = Files.readAllBytes(file);
        return new Look(file, a.fileKey(), a.size(), a.lastModifiedTime(), content);
    }
}
