package io.vipkeeper.appliance.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The running daemon's pid file, so {@code vipkeeper reload} and operators find it and a second
 * daemon on the same paths refuses to start. Its path is an option ({@code --pid-file}): two
 * daemons in different network namespaces of one host (labs, tests) each name their own.
 */
public final class PidFile {
    /** Where the systemd unit and the tools look by default. */
    public static final Path DEFAULT = Path.of("/run/vipkeeper/vipkeeper.pid");

    private final Path path;
    private final long pid = ProcessHandle.current().pid();

    private PidFile(Path path) {
        this.path = path;
    }

    /**
     * Writes this process's pid to {@code path} (creating its directory).
     *
     * @throws IllegalStateException naming the other daemon if one that is alive already holds it
     */
    public static PidFile claim(Path path) {
        Optional<Long> other = read(path).filter(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
                .filter(p -> p != ProcessHandle.current().pid());
        if (other.isPresent()) {
            throw new IllegalStateException("another vipkeeper runs as pid " + other.get() + " (" + path
                    + "); a second daemon needs its own --pid-file");
        }
        try {
            Path dir = path.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".vipkeeper", ".pid");
            Files.writeString(tmp, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the pid file " + path + ": " + e.getMessage(), e);
        }
        return new PidFile(path);
    }

    /** The pid in {@code path}, if it holds one. */
    public static Optional<Long> read(Path path) {
        try {
            return Optional.of(Long.parseLong(Files.readString(path, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Removes the file if it still names this process. */
    public void release() {
        if (read(path).filter(p -> p == pid).isPresent()) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // Nothing to do at exit; a stale file names a dead pid and is taken over next time.
            }
        }
    }
}
