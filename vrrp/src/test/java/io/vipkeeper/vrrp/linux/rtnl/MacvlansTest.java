package io.vipkeeper.vrrp.linux.rtnl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.vrrp.linux.netlink.NetlinkAttributes;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import io.vipkeeper.vrrp.protocol.VirtualMac;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The macvlan requests decode as `ip link add NAME link LOWER address MAC type macvlan mode M` sends them. */
class MacvlansTest {

    @Test
    void createCarriesNameLowerLinkVirtualMacKindAndMode() {
        byte[] m = Macvlans.createRequest(6, "vrrp.51", VirtualMac.of(51, false), MacvlanMode.PRIVATE, 9);
        NetlinkMessage msg = NetlinkMessage.parseAll(m, m.length).get(0);
        assertEquals(Rtnl.RTM_NEWLINK, msg.type());
        assertEquals(NetlinkMessageBuilder.NLM_F_REQUEST | NetlinkMessageBuilder.NLM_F_ACK
                | NetlinkMessageBuilder.NLM_F_CREATE | NetlinkMessageBuilder.NLM_F_EXCL, msg.flags());
        assertEquals(9, msg.seq());
        assertEquals(0, ByteBuffer.wrap(msg.payload()).order(ByteOrder.LITTLE_ENDIAN).getInt(4), "a new link: index 0");
        NetlinkAttributes a = msg.attributes(Rtnl.IFINFOMSG);
        assertEquals("vrrp.51", a.string(Rtnl.IFLA_IFNAME));
        assertEquals(6, a.u32(Rtnl.IFLA_LINK));
        assertArrayEquals(new byte[] {0, 0, 0x5e, 0, 1, 51}, a.bytes(Rtnl.IFLA_ADDRESS).orElseThrow());
        NetlinkAttributes info = a.nested(Rtnl.IFLA_LINKINFO);
        assertEquals("macvlan", info.string(Rtnl.IFLA_INFO_KIND));
        assertEquals(1, info.nested(Rtnl.IFLA_INFO_DATA).u32(Rtnl.IFLA_MACVLAN_MODE), "MACVLAN_MODE_PRIVATE");
    }

    @Test
    void upSetsIffUpInTheChangeMaskAndDeleteNamesTheIndex() {
        ByteBuffer up = ByteBuffer.wrap(Macvlans.upRequest(12, 1)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Rtnl.RTM_NEWLINK, up.getShort(4));
        assertEquals(12, up.getInt(16 + 4));
        assertEquals(Rtnl.IFF_UP, up.getInt(16 + 8));
        assertEquals(Rtnl.IFF_UP, up.getInt(16 + 12));
        ByteBuffer del = ByteBuffer.wrap(Macvlans.deleteRequest(12, 1)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Rtnl.RTM_DELLINK, del.getShort(4));
        assertEquals(12, del.getInt(16 + 4));
    }

    @Test
    void virtualMacsFollowRfc9568() {
        assertEquals("00:00:5e:00:01:ff", VirtualMac.text(VirtualMac.of(255, false)));
        assertEquals("00:00:5e:00:02:01", VirtualMac.text(VirtualMac.of(1, true)));
        assertEquals(4, MacvlanMode.BRIDGE.value());
    }
}
