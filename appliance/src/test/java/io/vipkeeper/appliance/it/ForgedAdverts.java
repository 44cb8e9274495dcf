package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.vm.NamespaceThreads;
import io.vipkeeper.vrrp.codec.VrrpEncoder;
import io.vipkeeper.vrrp.linux.RawIpSocket;
import io.vipkeeper.vrrp.protocol.Ipv4Header;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import java.net.Inet4Address;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An attacker's (or a lab peer's) raw IPv4 socket on eth0 of a lab node: sends VRRP adverts with
 * any source address and TTL, the IP header built here, as a forging host would.
 */
final class ForgedAdverts implements AutoCloseable {
    private static final int IPPROTO_VRRP = 112;
    private final RawIpSocket socket;

    private ForgedAdverts(RawIpSocket socket) {
        this.socket = socket;
    }

    /** A raw socket on eth0 of namespace {@code ns} (opened by a thread that entered it: setns is per thread). */
    static ForgedAdverts in(String ns) throws InterruptedException {
        AtomicReference<Object> opened = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                NamespaceThreads.enter(ns);
                opened.set(RawIpSocket.open(false, IPPROTO_VRRP, "eth0", null));
            } catch (RuntimeException e) {
                opened.set(e);
            }
        }, "forged-adverts");
        t.start();
        t.join();
        if (opened.get() instanceof RuntimeException e) {
            throw e;
        }
        return new ForgedAdverts((RawIpSocket) opened.get());
    }

    /** Sends {@code ad} from {@code source} to {@code destination} with IP TTL {@code ttl}. */
    void send(VrrpAdvertisement ad, Inet4Address source, Inet4Address destination, int ttl) {
        byte[] packet = Ipv4Header.wrap(VrrpEncoder.encode(ad, source, destination), source, destination, 0,
                IPPROTO_VRRP);
        packet[8] = (byte) ttl;
        socket.send(packet, destination);
    }

    /** Sends the VRRP {@code message} as it is (a trailer included) from {@code source}, TTL 255. */
    void sendMessage(byte[] message, Inet4Address source, Inet4Address destination) {
        socket.send(Ipv4Header.wrap(message, source, destination, 0, IPPROTO_VRRP), destination);
    }

    @Override
    public void close() {
        socket.close();
    }
}
