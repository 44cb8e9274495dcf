package io.vipkeeper.vrrp.transport;

import java.net.InetAddress;
import java.util.function.Consumer;

/**
 * Sends and receives VRRP messages on one interface and address family: raw sockets on Linux, an
 * {@link InMemoryNetwork} in tests. Callbacks arrive on the VRRP event loop.
 */
public interface VrrpTransport extends AutoCloseable {
    /** The IP source of our adverts (the interface's primary address, or the unicast source). */
    InetAddress sourceAddress();

    /** Sends one VRRP message (no IP header) to the group or a unicast peer; never blocks. */
    void send(byte[] message, InetAddress destination);

    /** Where received messages go; replaces any earlier receiver. */
    void onReceive(Consumer<InboundPacket> receiver);

    /**
     * Which VRIDs have a router here: a transport whose receive checks cost more than that test
     * (AH's ICV) may reject other VRIDs first, as {@code UNKNOWN_VRID}, so a flood for VRIDs
     * nobody serves costs no cryptography. By default every VRID is checked.
     */
    default void serveOnly(java.util.function.IntPredicate vrids) {
    }

    /** Datagrams this transport received but could not read (runts, not IP, receive errors). */
    default long receiveErrors() {
        return 0;
    }

    /** Stops receiving and releases the socket. */
    @Override
    void close();
}
