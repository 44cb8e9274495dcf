package io.vipkeeper.vrrp.linux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vipkeeper.vrrp.protocol.InternetChecksum;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Ethernet frames a new master sends so neighbours update their caches: a gratuitous ARP request
 * (IPv4, as keepalived sends it) and an unsolicited neighbour advertisement (IPv6, RFC 4861 §4.4).
 */
public final class AnnouncementFrames {
    /** ff02::1, all nodes. */
    static final byte[] ALL_NODES = {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};
    private static final int ICMPV6 = 58;

    private AnnouncementFrames() {
    }

    /** 42 bytes: "who-has VIP tell VIP" from {@code mac}, target hardware broadcast. */
    public static byte[] garp(byte[] mac, Inet4Address vip) {
        ByteBuf b = Unpooled.buffer(42);
        b.writeBytes(BROADCAST).writeBytes(mac).writeShort(LinuxConstants.ETH_P_ARP);
        b.writeShort(1).writeShort(0x0800).writeByte(6).writeByte(4).writeShort(1);
        b.writeBytes(mac).writeBytes(vip.getAddress()).writeBytes(BROADCAST).writeBytes(vip.getAddress());
        return b.array();
    }

    /**
     * 86 bytes: Ethernet + IPv6 (hop limit 255, VIP to ff02::1) + NA with the override flag (and
     * the router flag when {@code router}), target VIP and the target link-layer address option.
     */
    public static byte[] unsolicitedNa(byte[] mac, Inet6Address vip, boolean router) {
        ByteBuf icmp = Unpooled.buffer(32);
        icmp.writeByte(136).writeByte(0).writeShort(0);
        icmp.writeInt((router ? 0x80000000 : 0) | 0x20000000);
        icmp.writeBytes(vip.getAddress());
        icmp.writeByte(2).writeByte(1).writeBytes(mac);
        InetAddress dst = address(ALL_NODES);
        icmp.setShort(2, InternetChecksum.withPseudoHeader(icmp, 0, icmp.readableBytes(), vip, dst, ICMPV6));
        ByteBuf b = Unpooled.buffer(86);
        b.writeBytes(ALL_NODES_MAC).writeBytes(mac).writeShort(LinuxConstants.ETH_P_IPV6);
        b.writeInt(0x60000000).writeShort(32).writeByte(ICMPV6).writeByte(255);
        b.writeBytes(vip.getAddress()).writeBytes(ALL_NODES);
        b.writeBytes(icmp);
        return b.array();
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
