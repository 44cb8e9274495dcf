package io.vipkeeper.appliance.daemon;

import java.nio.file.Path;

/**
 * Where the daemon's control socket is: beside its pid file ({@code /run/vipkeeper/vipkeeper.pid}
 * → {@code /run/vipkeeper/vipkeeper.sock}), so a command that is given the pid file (or its
 * default) finds the daemon without reading the config, and two daemons with their own pid files
 * never share a socket. The socket serves the status API (see api/ApiServer#listenLocal).
 */
public final class ControlSocket {
    private ControlSocket() {
    }

    /** The socket of the daemon that holds {@code pidFile}. */
    public static Path beside(Path pidFile) {
        return RunFiles.beside(pidFile, "sock");
    }
}
