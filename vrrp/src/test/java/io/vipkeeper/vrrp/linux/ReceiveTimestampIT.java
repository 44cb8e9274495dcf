package io.vipkeeper.vrrp.linux;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.vrrp.codec.VrrpEncoder;
import io.vipkeeper.vrrp.protocol.V2AuthType;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpMulticast;
import io.vipkeeper.vrrp.transport.VrrpTransport;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Received adverts carry the kernel's arrival time: read at once they are a few microseconds old;
 * read after the VRRP loop was held up for 200 ms they are at least 190 ms old, which only a
 * timestamp taken by the kernel, not by our read, can say. Each packet has its own stamp.
 */
class ReceiveTimestampIT extends TwoNamespaces {
    private static final Inet4Address A = (Inet4Address) LinuxLayerIT.ip("198.18.202.1");
    private static final Inet4Address B = (Inet4Address) LinuxLayerIT.ip("198.18.202.2");
    private static final List<InetAddress> VIPS = List.of(LinuxLayerIT.ip("198.18.202.100"));
    private static final long PROMPT_NANOS = 50_000_000L;
    private static final long HELD_MILLIS = 200;

    @Override
    protected String subnet() {
        return "198.18.202";
    }

    private static byte[] v3(InetAddress src, InetAddress dst) {
        return VrrpEncoder.encode(VrrpAdvertisement.v3(51, 200, 100, VIPS), src, dst);
    }

    @Test
    void ipv4AdvertsThroughTheVrrpTransport() throws Exception {
        BlockingQueue<Long> ages = new LinkedBlockingQueue<>();
        VrrpTransport rx = NetNs.in(nsA, () -> LinuxVrrpTransport.open(loop, "vka", A, true));
        VrrpTransport tx = NetNs.in(nsB, () -> LinuxVrrpTransport.open(loop, "vkb", B, false));
        try (rx; tx) {
            rx.onReceive(p -> ages.add(p.ageNanos()));
            assertKernelAges(() -> tx.send(v3(B, VrrpMulticast.IPV4), VrrpMulticast.IPV4), ages);
        }
    }

    @Test
    void ipv4AdvertsThroughIpsecAh() throws Exception {
        byte[] key = "ah-key".getBytes();
        byte[] v2 = VrrpEncoder.encode(VrrpAdvertisement.v2(51, 200, 1, VIPS, V2AuthType.NONE, new byte[8]), B,
                VrrpMulticast.IPV4);
        BlockingQueue<Long> ages = new LinkedBlockingQueue<>();
        VrrpTransport rx = NetNs.in(nsA, () -> LinuxAhTransport.open(loop, "vka", A, true, key));
        VrrpTransport tx = NetNs.in(nsB, () -> LinuxAhTransport.open(loop, "vkb", B, false, key));
        try (rx; tx) {
            rx.onReceive(p -> {
                assertTrue(p.rejected() == null, "AH verified");
                ages.add(p.ageNanos());
            });
            assertKernelAges(() -> tx.send(v2, VrrpMulticast.IPV4), ages);
        }
    }

    @Test
    void ipv6AdvertsThroughRecvmsg() throws Exception {
        NetNs.awaitIpv6(nsA, "vka");
        NetNs.awaitIpv6(nsB, "vkb");
        BlockingQueue<Long> ages = new LinkedBlockingQueue<>();
        RawIpSocket rx = NetNs.in(nsA, () -> RawIpSocket.open(true, 112, "vka", VrrpMulticast.IPV6));
        RawIpSocket tx = NetNs.in(nsB, () -> RawIpSocket.open(true, 112, "vkb", null));
        try (rx; tx) {
            rx.register(loop, p -> ages.add(p.ageNanos())).sync();
            byte[] vrrp = VrrpEncoder.encode(VrrpAdvertisement.v3(7, 150, 100, List.of(LinuxLayerIT.ip("2001:db8::100"))),
                    LinuxLayerIT.ip("::"), VrrpMulticast.IPV6);
            vrrp[6] = 0; // the kernel fills the checksum with the real pseudo-header
            vrrp[7] = 0;
            assertKernelAges(() -> tx.send(vrrp, VrrpMulticast.IPV6), ages);
        }
    }

    /** Ages of adverts read promptly, after the loop was held up, and promptly again. */
    private void assertKernelAges(Runnable send, BlockingQueue<Long> ages) throws InterruptedException {
        send.run();
        next(ages); // the first one may wait for the socket's registration on the loop
        send.run();
        long prompt = next(ages);
        assertTrue(prompt > 0 && prompt < PROMPT_NANOS, "read at once: " + prompt + " ns");
        CountDownLatch held = new CountDownLatch(1);
        // Sent from the held loop itself: from the test thread, a loaded host could run the send
        // only after the hold ended (a CI run saw a 5 us age that way).
        loop.execute(() -> {
            held.countDown();
            send.run();
            sleepUninterruptibly(HELD_MILLIS);
        });
        assertTrue(held.await(5, TimeUnit.SECONDS));
        long late = next(ages);
        assertTrue(late >= TimeUnit.MILLISECONDS.toNanos(HELD_MILLIS - 10) && late < 1_000_000_000L,
                "read after the loop was held up " + HELD_MILLIS + " ms: " + late + " ns");
        send.run();
        long again = next(ages);
        assertTrue(again > 0 && again < PROMPT_NANOS, "its own stamp, not the previous one: " + again + " ns");
    }

    private static long next(BlockingQueue<Long> ages) throws InterruptedException {
        Long age = ages.poll(5, TimeUnit.SECONDS);
        assertNotNull(age, "no advert within 5 s");
        return age;
    }

    private static void sleepUninterruptibly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
