package io.vipkeeper.vrrp.linux.rtnl;

import io.vipkeeper.vrrp.linux.Errno;
import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.netlink.NetlinkAttributes;
import io.vipkeeper.vrrp.linux.netlink.NetlinkException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkFormatException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds and removes addresses over rtnetlink (RTM_NEWADDR / RTM_DELADDR), as keepalived does for
 * VIPs: IFA_LOCAL (+ IFA_ADDRESS), a label, and IFA_F_NODAD on IPv6 so the VIP works at once.
 */
public final class InterfaceAddresses {
    /** What an idempotent change found. */
    public enum Outcome {
        /** The change was made. */
        CHANGED,
        /** Nothing to do: already present / already absent. */
        ALREADY
    }

    private final NetlinkSocket socket;

    /** Changes addresses through a NETLINK_ROUTE socket. */
    public InterfaceAddresses(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** The RTM_NEWADDR request (exposed for byte-vector tests). */
    public static byte[] addRequest(int ifindex, InetAddress a, int prefixLength, String label, int seq) {
        return addRequest(ifindex, a, prefixLength, label, 0, null, seq);
    }

    /**
     * The RTM_NEWADDR request with a scope (ifa_scope: 0 global, 200 site, 253 link, 254 host) and,
     * for IPv4, a broadcast address (IFA_BROADCAST; null: none, as {@code ip addr add} without brd).
     */
    public static byte[] addRequest(int ifindex, InetAddress a, int prefixLength, String label, int scope,
            InetAddress broadcast, int seq) {
        boolean v6 = a instanceof Inet6Address;
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_NEWADDR, NetlinkMessageBuilder.NLM_F_REQUEST
                | NetlinkMessageBuilder.NLM_F_ACK | NetlinkMessageBuilder.NLM_F_EXCL
                | NetlinkMessageBuilder.NLM_F_CREATE);
        b.u8(v6 ? LinuxConstants.AF_INET6 : LinuxConstants.AF_INET).u8(prefixLength).u8(0).u8(scope).u32(ifindex);
        b.attrBytes(Rtnl.IFA_LOCAL, a.getAddress());
        b.attrBytes(Rtnl.IFA_ADDRESS, a.getAddress());
        if (!v6 && broadcast != null) {
            b.attrBytes(Rtnl.IFA_BROADCAST, broadcast.getAddress());
        }
        if (!v6 && label != null && !label.isEmpty()) {
            b.attrString(Rtnl.IFA_LABEL, label);
        }
        if (v6) {
            b.attrU32(Rtnl.IFA_FLAGS, Rtnl.IFA_F_NODAD);
        }
        return b.build(seq);
    }

    /** The RTM_DELADDR request. */
    public static byte[] removeRequest(int ifindex, InetAddress a, int prefixLength, int seq) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_DELADDR, NetlinkMessageBuilder.NLM_F_REQUEST
                | NetlinkMessageBuilder.NLM_F_ACK);
        header(b, a instanceof Inet6Address, prefixLength, ifindex);
        b.attrBytes(Rtnl.IFA_LOCAL, a.getAddress());
        b.attrBytes(Rtnl.IFA_ADDRESS, a.getAddress());
        return b.build(seq);
    }

    private static void header(NetlinkMessageBuilder b, boolean v6, int prefixLength, int ifindex) {
        b.u8(v6 ? LinuxConstants.AF_INET6 : LinuxConstants.AF_INET).u8(prefixLength).u8(0).u8(0).u32(ifindex);
    }

    /**
     * An add or remove of one address, built ahead: a takeover then only stamps a sequence number
     * into a copy (building it on the spot took ~50 us of cold code per VIP).
     *
     * @param message the request, sequence number 0
     * @param what its description for errors
     * @param add true for NEWADDR, false for DELADDR
     */
    public record Change(byte[] message, String what, boolean add) {
    }

    /** The add of {@code a}/{@code prefixLength} on {@code ifindex}, for {@link #apply}. */
    public static Change addition(int ifindex, InetAddress a, int prefixLength, String label) {
        return addition(ifindex, a, prefixLength, label, 0, null);
    }

    /** The add with a scope and (IPv4) a broadcast address, for {@link #apply}. */
    public static Change addition(int ifindex, InetAddress a, int prefixLength, String label, int scope,
            InetAddress broadcast) {
        return new Change(addRequest(ifindex, a, prefixLength, label, scope, broadcast, 0),
                "NEWADDR " + a.getHostAddress() + "/" + prefixLength, true);
    }

    /** The removal of {@code a}/{@code prefixLength} from {@code ifindex}, for {@link #apply}. */
    public static Change removal(int ifindex, InetAddress a, int prefixLength) {
        return new Change(removeRequest(ifindex, a, prefixLength, 0),
                "DELADDR " + a.getHostAddress() + "/" + prefixLength, false);
    }

    /** Adds {@code a}/{@code prefixLength} on {@code ifindex}; ALREADY if it is there (EEXIST). */
    public Outcome add(int ifindex, InetAddress a, int prefixLength, String label) {
        return apply(addition(ifindex, a, prefixLength, label));
    }

    /** Removes {@code a}; ALREADY if it was not there (EADDRNOTAVAIL). */
    public Outcome remove(int ifindex, InetAddress a, int prefixLength) {
        return apply(removal(ifindex, a, prefixLength));
    }

    /** Makes {@code change}; ALREADY if there was nothing to do (present / absent already). */
    public Outcome apply(Change change) {
        int errno = sendPrepared(change.message());
        if (errno == 0) {
            return Outcome.CHANGED;
        }
        boolean nothingToDo = change.add() ? errno == Errno.EEXIST.number()
                : errno == Errno.EADDRNOTAVAIL.number() || errno == Errno.ENODEV.number();
        if (nothingToDo) {
            return Outcome.ALREADY;
        }
        throw new NetlinkException(change.what(), errno);
    }

    /** An add the kernel refuses at once (there is no interface 0): it changes nothing. */
    private static final byte[] TOUCH = addRequest(0, InetAddress.getLoopbackAddress(), 32, "", 0);

    /**
     * Sends a request the kernel refuses (ENODEV), changing nothing, to bring the add path into
     * the caches (ours, the JVM's and the kernel's) just before a takeover: after a second of idle
     * adverts an address add took ~200 us, right after this ~90 us (measured on these machines).
     */
    public void touch() {
        sendPrepared(TOUCH);
    }

    /** Sends a copy of {@code template} with a fresh sequence number; the errno answered, 0 for an ACK. */
    private int sendPrepared(byte[] template) {
        int seq = NetlinkSocket.nextSeq();
        byte[] message = template.clone();
        ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN).putInt(8, seq);
        return socket.requestAck(message, seq);
    }

    /** Every address on {@code ifindex} (0: all interfaces). */
    public List<InterfaceAddress> list(int ifindex) {
        int seq = NetlinkSocket.nextSeq();
        byte[] req = new NetlinkMessageBuilder(Rtnl.RTM_GETADDR, NetlinkMessageBuilder.NLM_F_REQUEST
                | NetlinkMessageBuilder.NLM_F_DUMP).u8(0).u8(0).u8(0).u8(0).u32(0).build(seq);
        List<InterfaceAddress> out = new ArrayList<>();
        for (NetlinkMessage m : socket.request(req, seq, "GETADDR dump")) {
            if (m.type() == Rtnl.RTM_NEWADDR) {
                InterfaceAddress a = parse(m);
                if (ifindex == 0 || a.ifindex() == ifindex) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    /** Parses RTM_NEWADDR / RTM_DELADDR. */
    public static InterfaceAddress parse(NetlinkMessage m) {
        byte[] p = m.payload();
        if (p.length < Rtnl.IFADDRMSG) {
            throw new NetlinkFormatException("ifaddrmsg of " + p.length + " bytes");
        }
        int family = p[0] & 0xff;
        int len = family == LinuxConstants.AF_INET6 ? 16 : 4;
        NetlinkAttributes a = m.attributes(Rtnl.IFADDRMSG);
        int type = a.has(Rtnl.IFA_LOCAL) ? Rtnl.IFA_LOCAL : Rtnl.IFA_ADDRESS;
        int ifindex = java.nio.ByteBuffer.wrap(p).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(4);
        return new InterfaceAddress(ifindex, a.address(type, len), p[1] & 0xff, p[3] & 0xff,
                a.has(Rtnl.IFA_LABEL) ? a.string(Rtnl.IFA_LABEL) : "");
    }
}
