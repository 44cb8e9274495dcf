package io.vipkeeper.appliance.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The last reload's outcome, beside the pid file ({@code vipkeeper.pid} → {@code vipkeeper.reload}),
 * so {@code vipkeeper reload} can report it whether or not the HTTP API is enabled. The sequence
 * number grows with every reload; 0 is the start.
 */
public final class ReloadResultFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the file holds. */
    public record Entry(long sequence, String at, boolean ok, String summary, List<String> problems) {
        /** The entry of {@code result}. */
        static Entry of(long sequence, ReloadResult result) {
            return new Entry(sequence, result.at().toString(), result.ok(), result.summary(), result.problems());
        }

        /** Back to a result. */
        public ReloadResult result() {
            return new ReloadResult(Instant.parse(at), ok, problems, summary);
        }
    }

    private ReloadResultFile() {
    }

    /** The result file that belongs to {@code pidFile}. */
    public static Path beside(Path pidFile) {
        String name = pidFile.getFileName().toString();
        String stem = name.endsWith(".pid") ? name.substring(0, name.length() - 4) : name;
        return pidFile.resolveSibling(stem + ".reload");
    }

    /** Replaces the file atomically; a failure is returned for the log, never thrown. */
    static Optional<String> write(Path file, long sequence, ReloadResult result) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, ".vipkeeper", ".reload");
            Files.writeString(tmp, JSON.writeValueAsString(Entry.of(sequence, result)) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** The file's entry, if it has a readable one. */
    public static Optional<Entry> read(Path file) {
        try {
            return Optional.of(JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), Entry.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Removes the file at exit. */
    static void remove(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A stale file only holds an old sequence number; the next start replaces it.
        }
    }
}
