package io.vipkeeper.appliance.dataplane;

/**
 * How tun forwarding encapsulates packets for one real server.
 *
 * @param type ipip, gue or gre
 * @param port the real server's GUE port (0 for ipip and gre)
 * @param checksum gue/gre checksum mode
 */
public record BackendTunnel(TunnelType type, int port, TunnelChecksum checksum) {
    /** Plain IP in IP: the kernel's default, and what it reports for every non-tun server. */
    public static final BackendTunnel IPIP = new BackendTunnel(TunnelType.IPIP, 0, TunnelChecksum.NONE);
}
