package io.vipkeeper.appliance.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code api} section: where the status API listens and how much of the daemon its clients may
 * hold. The caps exist because every open connection costs the daemon a file descriptor, the same
 * descriptors it needs to fork scripts and open health-check sockets.
 *
 * @param listen where the status API listens; empty when disabled
 * @param maxConnections open connections the API keeps at most, from all clients together
 * @param maxConnectionsPerClient open connections the API keeps at most from one client address
 * @param idleTimeout a connection that neither sends a byte nor takes one for this long is closed
 * @param controlGroup the group whose members may change runtime state over the control socket
 *     besides root; empty: root only
 * @param write whether the TCP listener takes writes (with a bearer token from {@code tokens})
 * @param tokens the tokens of {@code api.token-file}, read at each load; {@link TokenFile.Tokens#NONE}
 *     without one
 * @param tls the certificate and key the TCP listener serves TLS with; empty: plain HTTP
 * @param socketReadsRestricted whether only root and {@code controlGroup} may read the control
 *     socket too ({@code api.socket-read = control-group}); false: every local user may read
 */
public record ApiSettings(Optional<InetSocketAddress> listen, int maxConnections, int maxConnectionsPerClient,
        Duration idleTimeout, Optional<String> controlGroup, boolean write, TokenFile.Tokens tokens,
        Optional<Tls> tls, boolean socketReadsRestricted) {
    /** Settings whose control socket every local user may read. */
    public ApiSettings(Optional<InetSocketAddress> listen, int maxConnections, int maxConnectionsPerClient,
            Duration idleTimeout, Optional<String> controlGroup, boolean write, TokenFile.Tokens tokens,
            Optional<Tls> tls) {
        this(listen, maxConnections, maxConnectionsPerClient, idleTimeout, controlGroup, write, tokens, tls, false);
    }

    /** Settings with no control group (root only). */
    public ApiSettings(Optional<InetSocketAddress> listen, int maxConnections, int maxConnectionsPerClient,
            Duration idleTimeout) {
        this(listen, maxConnections, maxConnectionsPerClient, idleTimeout, Optional.empty());
    }

    /** Settings with a read-only TCP listener in plain HTTP. */
    public ApiSettings(Optional<InetSocketAddress> listen, int maxConnections, int maxConnectionsPerClient,
            Duration idleTimeout, Optional<String> controlGroup) {
        this(listen, maxConnections, maxConnectionsPerClient, idleTimeout, controlGroup, false, TokenFile.Tokens.NONE,
                Optional.empty());
    }

    /**
     * {@code api.tls}: PEM files, read when a connection comes (a renewed certificate needs no restart).
     *
     * @param cert the certificate chain
     * @param key its private key (PKCS#8, as openssl writes it)
     */
    public record Tls(Path cert, Path key) {
    }
}
