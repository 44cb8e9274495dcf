package io.vipkeeper.vrrp.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.vrrp.codec.DropReason;
import io.vipkeeper.vrrp.codec.VrrpEncoder;
import io.vipkeeper.vrrp.fsm.AddressOwner;
import io.vipkeeper.vrrp.fsm.EventLoopScheduler;
import io.vipkeeper.vrrp.fsm.RouterConfig;
import io.vipkeeper.vrrp.fsm.RouterState;
import io.vipkeeper.vrrp.fsm.TransportActions;
import io.vipkeeper.vrrp.fsm.VirtualRouter;
import io.vipkeeper.vrrp.fsm.VrrpDispatcher;
import io.vipkeeper.vrrp.protocol.Ipv4Header;
import io.vipkeeper.vrrp.protocol.V2AuthType;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpMulticast;
import io.vipkeeper.vrrp.protocol.VrrpVersion;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real master (raw socket on the VRRP loop, in a namespace) under forged packets from another
 * namespace: each is dropped and counted under its reason, and the master stays master; a valid
 * higher-priority advert through the same path is obeyed (the injection path works).
 */
class InjectedPacketsIT extends TwoNamespaces {
    private static final Inet4Address MASTER = (Inet4Address) LinuxLayerIT.ip("198.18.201.1");
    private static final Inet4Address ATTACKER = (Inet4Address) LinuxLayerIT.ip("198.18.201.2");
    private static final List<InetAddress> VIPS = List.of(LinuxLayerIT.ip("198.18.201.100"));
    private static final byte[] PASS = {'p', 'w', 0, 0, 0, 0, 0, 0};
    @Override
    protected String subnet() {
        return "198.18.201";
    }

    private static byte[] ip(byte[] vrrp, int ttl) {
        byte[] p = Ipv4Header.wrap(vrrp, ATTACKER, (Inet4Address) VrrpMulticast.IPV4, 0, 112);
        p[8] = (byte) ttl;
        return p;
    }

    private static byte[] v2(int priority, byte[] auth, int intervalSeconds) {
        return VrrpEncoder.encode(VrrpAdvertisement.v2(51, priority, intervalSeconds, VIPS, V2AuthType.SIMPLE_TEXT,
                auth), ATTACKER, VrrpMulticast.IPV4);
    }

    @Test
    void forgedPacketsAreCountedAndTheMasterStays() throws Exception {
        RouterConfig config = new RouterConfig("vi_1", VrrpVersion.V2, 51, 100, 100, true, Duration.ZERO, VIPS, MASTER,
                List.of(), 255, V2AuthType.SIMPLE_TEXT, PASS);
        LinuxVrrpTransport transport = NetNs.in(nsA, () -> LinuxVrrpTransport.open(loop, "vka", MASTER, true));
        AddressOwner none = new AddressOwner() {
            @Override
            public void claim() {
            }

            @Override
            public void release() {
            }
        };
        VirtualRouter router = loop.submit(() -> {
            VirtualRouter r = new VirtualRouter(config, new EventLoopScheduler(loop),
                    new TransportActions(transport, List.of(), none));
            new VrrpDispatcher(transport).add(r);
            r.start();
            return r;
        }).get();
        RawIpSocket attacker = NetNs.in(nsB, () -> RawIpSocket.open(false, 112, "vkb", null));
        try {
            await(() -> router.state() == RouterState.MASTER, "becomes master");
            byte[] good = v2(200, PASS, 1);
            attacker.send(ip(good, 64), VrrpMulticast.IPV4);
            byte[] badSum = good.clone();
            badSum[7] ^= 0x5a;
            attacker.send(ip(badSum, 255), VrrpMulticast.IPV4);
            attacker.send(ip(Arrays.copyOf(good, 9), 255), VrrpMulticast.IPV4);
            attacker.send(ip(v2(200, new byte[] {'n', 'o', 0, 0, 0, 0, 0, 0}, 1), 255), VrrpMulticast.IPV4);
            attacker.send(ip(v2(200, PASS, 3), 255), VrrpMulticast.IPV4);
            await(() -> total(router) == 5, "all five counted: " + router.counters().drops());
            assertEquals(1, router.counters().droppedCount(DropReason.TTL));
            assertEquals(1, router.counters().droppedCount(DropReason.CHECKSUM));
            assertEquals(1, router.counters().droppedCount(DropReason.LENGTH));
            assertEquals(1, router.counters().droppedCount(DropReason.AUTHENTICATION));
            assertEquals(1, router.counters().droppedCount(DropReason.INTERVAL));
            Thread.sleep(300);
            assertEquals(RouterState.MASTER, router.state(), "none of them moved the master");

            attacker.send(ip(good, 255), VrrpMulticast.IPV4);
            await(() -> router.state() == RouterState.BACKUP, "a valid higher advert is obeyed");
        } finally {
            attacker.close();
            transport.close();
        }
    }

    private static long total(VirtualRouter r) {
        return r.counters().drops().values().stream().mapToLong(Long::longValue).sum();
    }

    private static void await(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
