package io.vipkeeper.appliance.realserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** Where {@link RealServerState} lives between {@code up} and {@code down}. */
final class StateFile {
    /** tmpfs: the state goes with a reboot, as do the addresses and sysctls it describes. */
    static final Path DEFAULT = Path.of("/run/vipkeeper/realserver.state");

    private final Path path;

    StateFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** The state, or empty if no {@code up} is in effect. */
    Optional<RealServerState> read() {
        try {
            return Optional.of(RealServerState.parse(Files.readString(path, StandardCharsets.UTF_8), path.toString()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("cannot read", e);
        }
    }

    /**
     * Replaces the file with {@code state}: a temporary file renamed over it, so a crash leaves
     * the old state or the new one, never half of one.
     */
    void write(RealServerState state) {
        try {
            Path dir = path.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".realserver", ".tmp");
            try {
                Files.writeString(tmp, state.format(), StandardCharsets.UTF_8);
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw failure("cannot write", e);
        }
    }

    /** Deletes the file if it is there. */
    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw failure("cannot delete", e);
        }
    }

    private RealServerException failure(String what, IOException e) {
        return RealServerException.because(what + " state file " + path, e);
    }
}
