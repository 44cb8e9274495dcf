package io.vipkeeper.vrrp.linux;

import io.vipkeeper.vrrp.fuzz.FuzzTarget;
import io.vipkeeper.vrrp.fuzz.Mutator;
import io.vipkeeper.vrrp.linux.netlink.GenericNetlink;
import io.vipkeeper.vrrp.linux.netlink.NetlinkAttributes;
import io.vipkeeper.vrrp.linux.netlink.NetlinkFormatException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import io.vipkeeper.vrrp.linux.rtnl.InterfaceAddresses;
import io.vipkeeper.vrrp.linux.rtnl.LinkInfo;
import io.vipkeeper.vrrp.linux.rtnl.Rtnl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Netlink parsers under fuzzing. An input is one received datagram; the outcome is
 * {@code accepted} when the messages the parser handles parsed, {@code ignored} when there were
 * none, or {@code rejected: malformed} for a {@link NetlinkFormatException}, the one exception
 * the parsers declare (the daemon counts and skips such a reply or event).
 */
public final class NetlinkFuzzTargets {
    private static final int IFLA_MTU = 4;
    private static final int IFA_CACHEINFO = 6;
    private static final int CTRL_ATTR_OPS = 6;

    private NetlinkFuzzTargets() {
    }

    /**
     * A target splitting each datagram ({@link NetlinkMessage#parseAll}) and giving the messages
     * {@code handles} picks to {@code parse}. Half the inputs get a first length field that fits,
     * so mutations reach the attributes.
     */
    public static FuzzTarget replies(String name, List<byte[]> seeds, Predicate<NetlinkMessage> handles,
            Consumer<NetlinkMessage> parse) {
        return FuzzTarget.of(name, seeds, b -> {
            if (b.length >= NetlinkMessage.HEADER) {
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, b.length);
            }
        }, input -> {
            int handled = 0;
            try {
                for (NetlinkMessage m : NetlinkMessage.parseAll(input, input.length)) {
                    if (handles.test(m)) {
                        parse.accept(m);
                        handled++;
                    }
                }
            } catch (NetlinkFormatException e) {
                return "rejected: malformed";
            }
            return handled > 0 ? FuzzTarget.ACCEPTED : "ignored";
        });
    }

    /** Splitting datagrams, error codes and generic netlink attributes (NetlinkSocket's and GenericNetlink's part). */
    public static FuzzTarget datagrams() {
        List<byte[]> seeds = List.of(NetlinkEncodingTest.ACK, GenericNetlink.getFamilyRequest("IPVS", 7),
                familyReply(), Mutator.concat(familyReply(), NetlinkEncodingTest.ACK),
                Mutator.concat(NetlinkEncodingTest.ACK, Mutator.concat(NetlinkEncodingTest.ACK, familyReply())));
        return replies("NetlinkMessage.parseAll", seeds, m -> true, m -> {
            if (m.type() == NetlinkMessage.ERROR) {
                m.errorCode();
            } else {
                NetlinkAttributes a = m.attributes(GenericNetlink.GENL_HDRLEN);
                if (a.has(CTRL_ATTR_OPS)) {
                    a.nested(CTRL_ATTR_OPS);
                }
            }
        });
    }

    /** {@link LinkInfo#parse} on the messages LinkMonitor and Links hand it. */
    public static FuzzTarget linkInfo() {
        return replies("LinkInfo.parse", links(),
                m -> m.type() == Rtnl.RTM_NEWLINK || m.type() == Rtnl.RTM_DELLINK, LinkInfo::parse);
    }

    /** {@link InterfaceAddresses#parse} on the messages LinkMonitor and list() hand it. */
    public static FuzzTarget interfaceAddresses() {
        byte[] v6 = new NetlinkMessageBuilder(Rtnl.RTM_NEWADDR, NetlinkMessageBuilder.NLM_F_MULTI)
                .u8(LinuxConstants.AF_INET6).u8(64).u8(0x80).u8(253).u32(3)
                .attrBytes(Rtnl.IFA_ADDRESS, LinuxLayerIT.ip("fe80::1").getAddress())
                .attrBytes(IFA_CACHEINFO, new byte[16]).attrU32(Rtnl.IFA_FLAGS, 0x80).build(9);
        byte[] deleted = new NetlinkMessageBuilder(Rtnl.RTM_DELADDR, 0).u8(LinuxConstants.AF_INET).u8(24).u8(0)
                .u8(0).u32(2).attrBytes(Rtnl.IFA_LOCAL, LinuxLayerIT.ip("198.18.0.100").getAddress()).build(0);
        return replies("InterfaceAddresses.parse", List.of(NetlinkEncodingTest.NEWADDR, v6, deleted,
                Mutator.concat(v6, deleted)), m -> m.type() == Rtnl.RTM_NEWADDR || m.type() == Rtnl.RTM_DELADDR,
                InterfaceAddresses::parse);
    }

    /** RTM_NEWLINK / RTM_DELLINK as the kernel sends them (ifinfomsg, name, MTU, operstate, MAC, carrier). */
    private static List<byte[]> links() {
        byte[] up = new NetlinkMessageBuilder(Rtnl.RTM_NEWLINK, NetlinkMessageBuilder.NLM_F_MULTI)
                .u8(0).u8(0).u16(1).u32(2).u32(0x11043).u32(0)
                .attrString(Rtnl.IFLA_IFNAME, "eth0").attrU32(IFLA_MTU, 1500).attrU8(Rtnl.IFLA_OPERSTATE, 6)
                .attrBytes(Rtnl.IFLA_ADDRESS, new byte[] {2, 0, 0, 0, 0, 1}).attrU8(Rtnl.IFLA_CARRIER, 1).build(3);
        byte[] gone = new NetlinkMessageBuilder(Rtnl.RTM_DELLINK, 0).u8(0).u8(0).u16(1).u32(7).u32(0).u32(0)
                .attrString(Rtnl.IFLA_IFNAME, "vka").build(0);
        return List.of(up, gone, Mutator.concat(up, gone));
    }

    /** CTRL_CMD_NEWFAMILY for IPVS: id, name, version and a nest of ops, as the kernel answers GETFAMILY. */
    private static byte[] familyReply() {
        return NetlinkMessageBuilder.genl(GenericNetlink.ID_CTRL, 0, 1, 2).attrU16(1, 0x24)
                .attrString(2, "IPVS").attrU32(3, 1).beginNest(CTRL_ATTR_OPS).attrU32(1, 1).endNest()
                .build(7);
    }
}
