package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.vm.NamespaceThreads;
import io.vipkeeper.vrrp.codec.VrrpEncoder;
import io.vipkeeper.vrrp.linux.RawIpSocket;
import io.vipkeeper.vrrp.protocol.Ipv4Header;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpMulticast;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/**
 * A stranger on the lab's link claiming the lab's VRIDs: VRRPv3 adverts at priority 254 with the
 * right VIPs and TTL 255 from an address that is in no node's unicast-peers, sent unicast to both
 * nodes and to the VRRP multicast group every half advert interval, from a raw socket in the
 * stranger's namespace. A node must drop them all (keepalived: check_unicast_src).
 */
final class ForgedAdverts implements AutoCloseable {
    private final RawIpSocket socket;
    private final Thread sender;
    private volatile boolean running = true;
    private volatile Exception failure;
    private volatile long sent;

    ForgedAdverts(String strangerNs, int intervalMs) throws Exception {
        socket = NamespaceThreads.call(strangerNs, () -> RawIpSocket.open(false, 112, "eth0", null));
        Inet4Address source = (Inet4Address) InetAddress.getByName(ChaosConfig.STRANGER);
        List<InetAddress> targets = List.of(InetAddress.getByName(ChaosConfig.SUBNET + ".1"),
                InetAddress.getByName(ChaosConfig.SUBNET + ".2"), VrrpMulticast.IPV4);
        List<VrrpAdvertisement> adverts = List.of(
                VrrpAdvertisement.v3(ChaosConfig.VRID, 254, intervalMs / 10, List.of(
                        InetAddress.getByName(ChaosConfig.VIP))),
                VrrpAdvertisement.v3(ChaosConfig.VRID2, 254, intervalMs / 10, List.of(
                        InetAddress.getByName(ChaosConfig.VIP2))));
        // Built here, not on the sender's thread: the first encode loads the codec's classes, which
        // put the first advert ~1 s after the operation started.
        List<byte[]> packets = new java.util.ArrayList<>();
        for (InetAddress to : targets) {
            for (VrrpAdvertisement ad : adverts) {
                packets.add(Ipv4Header.wrap(VrrpEncoder.encode(ad, source, to), source, (Inet4Address) to, 0, 112));
            }
        }
        sender = new Thread(() -> {
            try {
                while (running) {
                    for (int i = 0; i < packets.size(); i++) {
                        try {
                            socket.send(packets.get(i), targets.get(i / adverts.size()));
                            sent++;
                        } catch (RuntimeException e) {
                            failure = e; // EAGAIN while ARP resolves: the next round sends again
                        }
                    }
                    Thread.sleep(Math.max(1, intervalMs / 2));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "forged-adverts");
        sender.setDaemon(true);
        sender.start();
    }

    /** Adverts sent so far. */
    long sent() {
        return sent;
    }

    /** The last send the kernel refused, or null. */
    Exception failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sender.join(2000);
        socket.close();
    }
}
