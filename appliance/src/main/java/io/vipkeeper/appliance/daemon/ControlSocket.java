package io.vipkeeper.appliance.daemon;

/**
 * The daemon's control socket, {@code control.sock} in its run directory
 * ({@code /run/vipkeeper/control.sock}; see {@link RunFiles#socket()}): a unix stream socket that
 * serves the status API to local users and takes the writes (backend orders, reload) from root and
 * {@code api.control-group} (see api/ApiServer#listenLocal and api/ControlAccess). Commands find
 * it by the run directory alone, with no config to read.
 */
public final class ControlSocket {
    /** The socket's name in the run directory. */
    public static final String NAME = "control.sock";

    private ControlSocket() {
    }
}
