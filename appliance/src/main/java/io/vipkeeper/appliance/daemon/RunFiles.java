package io.vipkeeper.appliance.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The daemon's run directory ({@code /run/vipkeeper} by default, {@code --run-dir}) and the one
 * place that names what is in it: the pid file {@code vipkeeper.pid}, the control socket
 * {@code control.sock} ({@link ControlSocket}), the last reload {@code vipkeeper.reload} and the
 * dumps {@code vipkeeper.data} and {@code vipkeeper.stats}. A command given the same directory as
 * the daemon finds all of them without reading the config; two daemons in two network namespaces
 * of one host each get a directory of their own.
 *
 * @param dir the run directory
 * @param pidFile the pid file: {@code dir/vipkeeper.pid} unless {@code --pid-file} names another
 */
public record RunFiles(Path dir, Path pidFile) {
    /** Where the systemd unit (RuntimeDirectory=vipkeeper) and the commands look by default. */
    public static final Path DEFAULT_DIR = Path.of("/run/vipkeeper");
    /** The pid file's name in the run directory. */
    public static final String PID = "vipkeeper.pid";
    /** The default daemon's files. */
    public static final RunFiles DEFAULT = in(DEFAULT_DIR);

    /** The files of the daemon whose run directory is {@code dir}. */
    public static RunFiles in(Path dir) {
        return new RunFiles(dir, dir.resolve(PID));
    }

    /**
     * The files of the daemon that holds {@code pidFile} (the older {@code --pid-file} alone):
     * its run directory is the pid file's, as the other files have always been beside it.
     */
    public static RunFiles forPidFile(Path pidFile) {
        Path parent = pidFile.toAbsolutePath().getParent();
        return new RunFiles(parent, pidFile);
    }

    /** The control socket. */
    public Path socket() {
        return dir.resolve(ControlSocket.NAME);
    }

    /** The last reload's outcome ({@link ReloadResultFile}). */
    public Path reloadResult() {
        return dir.resolve("vipkeeper.reload");
    }

    /** The data dump SIGUSR1 writes. */
    public Path dataDump() {
        return dir.resolve("vipkeeper.data");
    }

    /** The stats dump SIGUSR2 writes. */
    public Path statsDump() {
        return dir.resolve("vipkeeper.stats");
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
