package io.vipkeeper.appliance.it;

import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpMulticast;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/**
 * A stranger on the fault lab's link claiming the lab's VRIDs: VRRPv3 adverts at priority 254
 * with the right VIPs and TTL 255 from an address in no node's unicast-peers, sent unicast to both
 * nodes and to the VRRP multicast group every half advert interval until closed. A node must drop
 * them all (keepalived: check_unicast_src).
 */
final class ChaosStranger implements AutoCloseable {
    private final ForgedAdverts socket;
    private final Thread sender;
    private volatile boolean running = true;
    private volatile Exception failure;
    private volatile long sent;

    ChaosStranger(String strangerNs, int intervalMs) throws Exception {
        socket = ForgedAdverts.in(strangerNs);
        Inet4Address source = (Inet4Address) InetAddress.getByName(ChaosConfig.STRANGER);
        List<Inet4Address> targets = List.of((Inet4Address) InetAddress.getByName(ChaosConfig.SUBNET + ".1"),
                (Inet4Address) InetAddress.getByName(ChaosConfig.SUBNET + ".2"), (Inet4Address) VrrpMulticast.IPV4);
        List<VrrpAdvertisement> adverts = List.of(
                VrrpAdvertisement.v3(ChaosConfig.VRID, 254, intervalMs / 10, List.of(
                        InetAddress.getByName(ChaosConfig.VIP))),
                VrrpAdvertisement.v3(ChaosConfig.VRID2, 254, intervalMs / 10, List.of(
                        InetAddress.getByName(ChaosConfig.VIP2))));
        Runnable round = () -> {
            for (Inet4Address to : targets) {
                for (VrrpAdvertisement ad : adverts) {
                    try {
                        socket.send(ad, source, to, 255);
                        sent++;
                    } catch (RuntimeException e) {
                        failure = e; // EAGAIN while ARP resolves: the next round sends again
                    }
                }
            }
        };
        // The first round here, not on the sender's thread: it loads the codec's classes, which put
        // the first advert ~1 s after the operation started.
        round.run();
        sender = new Thread(() -> {
            try {
                while (running) {
                    Thread.sleep(Math.max(1, intervalMs / 2));
                    round.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "chaos-stranger");
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
