package io.vipkeeper.appliance.nftables;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RTM_NEWNEIGH messages as the kernel sends them in a dump: which give a MAC to use. */
class NeighboursTest {
    private static final byte[] MAC = {0x02, 0x00, 0x5e, 0x10, 0x01, 0x0b};

    /** struct ndmsg then NDA_DST and NDA_LLADDR, little-endian as on x86. */
    private static NetlinkMessage neigh(int family, int ifindex, int state, byte[] dst, byte[] mac) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) family).put((byte) 0).putShort((short) 0).putInt(ifindex).putShort((short) state).put((byte) 0)
                .put((byte) 1);
        b.putShort((short) (4 + dst.length)).putShort((short) Neighbours.NDA_DST).put(dst);
        b.position((b.position() + 3) & ~3);
        if (mac != null) {
            b.putShort((short) (4 + mac.length)).putShort((short) Neighbours.NDA_LLADDR).put(mac);
            b.position((b.position() + 3) & ~3);
        }
        byte[] payload = new byte[b.position()];
        b.flip().get(payload);
        return new NetlinkMessage(Neighbours.RTM_NEWNEIGH, 2, 1, 0, payload);
    }

    private static Map<InetAddress, Neighbours.Entry> parse(NetlinkMessage m) {
        Map<InetAddress, Neighbours.Entry> out = new HashMap<>();
        Neighbours.parse(m, out);
        return out;
    }

    @Test
    void aReachableOrStaleNeighbourGivesItsMacAndInterface() throws Exception {
        byte[] dst = {(byte) 198, 18, (byte) 240, 11};
        for (int state : new int[] {0x02, 0x04, 0x80}) {
            Neighbours.Entry e = parse(neigh(2, 7, state, dst, MAC)).get(InetAddress.getByAddress(dst));
            assertEquals(7, e.ifindex());
            assertArrayEquals(MAC, e.mac());
        }
    }

    @Test
    void anIpv6NeighbourGivesItsMacAndInterface() throws Exception {
        byte[] dst = InetAddress.getByName("2001:db8:176::11").getAddress();
        Neighbours.Entry e = parse(neigh(10, 7, 0x04, dst, MAC)).get(InetAddress.getByAddress(dst));
        assertEquals(7, e.ifindex());
        assertArrayEquals(MAC, e.mac());
        assertEquals(Map.of(), parse(neigh(10, 7, 0x01, dst, null)), "INCOMPLETE");
    }

    @Test
    void incompleteOrFailedEntriesAndOtherFamiliesGiveNone() {
        byte[] dst = {(byte) 198, 18, (byte) 240, 11};
        assertEquals(Map.of(), parse(neigh(2, 7, 0x01, dst, null)), "INCOMPLETE");
        assertEquals(Map.of(), parse(neigh(2, 7, 0x20, dst, MAC)), "FAILED");
        assertEquals(Map.of(), parse(neigh(7, 7, 0x02, dst, MAC)), "another family");
        assertEquals(Map.of(), parse(neigh(10, 7, 0x02, dst, MAC)), "IPv6 with an IPv4-sized address");
        assertEquals(Map.of(), parse(neigh(2, 7, 0x02, dst, null)), "no link-layer address");
    }
}
