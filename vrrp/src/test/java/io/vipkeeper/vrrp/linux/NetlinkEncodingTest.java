package io.vipkeeper.vrrp.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.util.NetUtil;
import io.vipkeeper.vrrp.linux.netlink.GenericNetlink;
import io.vipkeeper.vrrp.linux.netlink.NetlinkAttributes;
import io.vipkeeper.vrrp.linux.netlink.NetlinkFormatException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddresses;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Netlink messages against the byte vectors in the linux-primitives reference (§1.2, §2; the §1.6
 * IPVS vector is checked where IPVS messages are built, in the appliance).
 */
class NetlinkEncodingTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    /** RTM_NEWADDR of 10.99.0.100/32 labelled rlr-va:vip on ifindex 6, as ip(8) sends it. */
    static final byte[] NEWADDR = HEX.parseHex("38 00 00 00 14 00 05 06 01 00 00 00 00 00 00 00"
            + " 02 20 00 00 06 00 00 00"
            + " 08 00 02 00 0a 63 00 64"
            + " 08 00 01 00 0a 63 00 64"
            + " 0f 00 03 00 72 6c 72 2d 76 61 3a 76 69 70 00 00");
    /** The kernel's ACK (NLMSG_ERROR 0) of a GETFAMILY request. */
    static final byte[] ACK = HEX.parseHex("24 00 00 00 02 00 00 01 05 00 00 00 99 00 00 00"
            + " 00 00 00 00 20 00 00 00 10 00 05 00 05 00 00 00 00 00 00 00");

    @Test
    void getFamilyIpvsMatchesIpvsadmBytes() {
        byte[] expected = HEX.parseHex("20 00 00 00 10 00 05 00 07 00 00 00 00 00 00 00"
                + " 03 01 00 00 09 00 02 00 49 50 56 53 00 00 00 00");
        assertArrayEquals(expected, GenericNetlink.getFamilyRequest("IPVS", 7));
    }

    @Test
    void newaddrMatchesTheCapturedRequest() {
        assertArrayEquals(NEWADDR, InterfaceAddresses.addRequest(6,
                NetUtil.createInetAddressFromIpAddressString("10.99.0.100"), 32, "rlr-va:vip", 1));
    }

    @Test
    void parsesAnAckAndAnErrorAndNestedAttributes() {
        List<NetlinkMessage> ms = NetlinkMessage.parseAll(ACK, ACK.length);
        assertEquals(1, ms.size());
        assertEquals(NetlinkMessage.ERROR, ms.get(0).type());
        assertEquals(0, ms.get(0).errorCode());
        byte[] svc = NetlinkMessageBuilder.genl(0x24, 5, 1, 1).beginNest(1).attrU16(1, 10).attrBe16(4, 443)
                .endNest().build(3);
        NetlinkAttributes outer = NetlinkMessage.parseAll(svc, svc.length).get(0).attributes(GenericNetlink.GENL_HDRLEN);
        assertEquals(10, outer.nested(1).u16(1));
        assertEquals(443, outer.nested(1).be16(4));
    }

    @Test
    void malformedLengthsAreFormatErrorsNotCrashes() {
        byte[] shortMsg = HEX.parseHex("40 00 00 00 02 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00");
        assertThrows(NetlinkFormatException.class, () -> NetlinkMessage.parseAll(shortMsg, shortMsg.length));
        byte[] badAttr = NetlinkMessageBuilder.genl(0x24, 5, 1, 1).attrU32(8, 5).build(1);
        badAttr[20] = 0x40;
        NetlinkMessage m = NetlinkMessage.parseAll(badAttr, badAttr.length).get(0);
        assertThrows(NetlinkFormatException.class, () -> m.attributes(GenericNetlink.GENL_HDRLEN));
        byte[] tiny = NetlinkMessageBuilder.genl(0x24, 5, 1, 1).attrU8(8, 5).build(1);
        NetlinkAttributes a = NetlinkMessage.parseAll(tiny, tiny.length).get(0).attributes(GenericNetlink.GENL_HDRLEN);
        assertThrows(NetlinkFormatException.class, () -> a.u32(8));
        assertThrows(NetlinkFormatException.class, () -> a.u32(9));
    }

    @Test
    void aLengthNearTwoToTheThirtyOneIsAFormatErrorNotAnAllocation() {
        // Found by VrrpFuzzTest: a second message claiming 0x7fffffff bytes overflowed the bounds
        // check, allocated 2 GiB and threw ArrayIndexOutOfBoundsException.
        byte[] found = HexFormat.of().parseHex("2400000000000000000000000000000000000300010000000c000680080001000100"
                + "0000ffffff7f100005000500000000000000");
        assertThrows(NetlinkFormatException.class, () -> NetlinkMessage.parseAll(found, found.length));
    }
}
