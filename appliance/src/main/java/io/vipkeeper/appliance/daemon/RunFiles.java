package io.vipkeeper.appliance.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The daemon's files beside its pid file, in its run directory ({@code /run/vipkeeper} by
 * default): {@code vipkeeper.pid} → {@code vipkeeper.reload}, {@code .data}, {@code .stats}.
 */
final class RunFiles {
    private RunFiles() {
    }

    /** The file named like {@code pidFile} with {@code extension} (no dot) instead of {@code .pid}. */
    static Path beside(Path pidFile, String extension) {
        String name = pidFile.getFileName().toString();
        String stem = name.endsWith(".pid") ? name.substring(0, name.length() - 4) : name;
        return pidFile.resolveSibling(stem + "." + extension);
    }

    /** Replaces {@code file} with {@code text} atomically: a reader sees the old file or the whole new one. */
    static void replace(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".vipkeeper", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
