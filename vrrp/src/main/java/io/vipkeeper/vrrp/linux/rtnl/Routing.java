package io.vipkeeper.vrrp.linux.rtnl;

import io.vipkeeper.vrrp.linux.Errno;
import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.netlink.NetlinkException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Adds and removes routes and policy rules over rtnetlink (RTM_NEWROUTE / RTM_DELROUTE,
 * RTM_NEWRULE / RTM_DELRULE), as keepalived's vrrp_iproute.c and vrrp_iprule.c do for
 * virtual_routes and virtual_rules. Adds carry NLM_F_EXCL (as {@code ip route add}, not
 * keepalived's prepend): an entry that is there already is left as it is and reported ALREADY,
 * so putting an entry back never stacks a second copy.
 */
public final class Routing {
    /** What an idempotent change found. */
    public enum Outcome {
        /** The change was made. */
        CHANGED,
        /** Nothing to do: already present / already absent. */
        ALREADY
    }

    /**
     * An add or remove of one route or rule, built ahead (sequence number 0).
     *
     * @param message the request
     * @param what its description for logs and errors ("route 198.18.105.0/24 ...")
     * @param add true for NEW, false for DEL
     * @param route the route it adds or removes; null for a rule
     */
    public record Change(byte[] message, String what, boolean add, RouteEntry route) {
    }

    private static final int ADD_FLAGS = NetlinkMessageBuilder.NLM_F_REQUEST | NetlinkMessageBuilder.NLM_F_ACK
            | NetlinkMessageBuilder.NLM_F_CREATE | NetlinkMessageBuilder.NLM_F_EXCL;
    private static final int DEL_FLAGS = NetlinkMessageBuilder.NLM_F_REQUEST | NetlinkMessageBuilder.NLM_F_ACK;

    private final NetlinkSocket socket;

    /** Changes routes and rules through a NETLINK_ROUTE socket. */
    public Routing(NetlinkSocket socket) {
        this.socket = socket;
    }

    /**
     * The RTM_NEWROUTE ({@code add}) or RTM_DELROUTE of {@code r} (exposed for byte-vector tests).
     * A delete asks for scope RT_SCOPE_NOWHERE, which matches a route of any scope, as ip route del.
     */
    public static byte[] routeRequest(RouteEntry r, boolean add, int seq) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(add ? Rtnl.RTM_NEWROUTE : Rtnl.RTM_DELROUTE,
                add ? ADD_FLAGS : DEL_FLAGS);
        // struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags.
        b.u8(r.ipv6() ? LinuxConstants.AF_INET6 : LinuxConstants.AF_INET).u8(r.prefixLength()).u8(0).u8(0)
                .u8(r.table() < 256 ? (int) r.table() : 0).u8(r.protocol()).u8(add ? r.scope() : Rtnl.RT_SCOPE_NOWHERE)
                .u8(r.type()).u32(0);
        if (r.prefixLength() > 0) {
            b.attrBytes(Rtnl.RTA_DST, r.destination().getAddress());
        }
        if (r.table() >= 256) {
            b.attrU32(Rtnl.RTA_TABLE, r.table());
        }
        if (r.preferredSource() != null) {
            b.attrBytes(Rtnl.RTA_PREFSRC, r.preferredSource().getAddress());
        }
        if (r.gateway() != null) {
            b.attrBytes(Rtnl.RTA_GATEWAY, r.gateway().getAddress());
        }
        if (r.oif() != 0) {
            b.attrU32(Rtnl.RTA_OIF, r.oif());
        }
        if (r.metric() >= 0) {
            b.attrU32(Rtnl.RTA_PRIORITY, r.metric());
        }
        return b.build(seq);
    }

    /** The RTM_NEWRULE ({@code add}) or RTM_DELRULE of {@code r} (exposed for byte-vector tests). */
    public static byte[] ruleRequest(RuleEntry r, boolean add, int seq) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(add ? Rtnl.RTM_NEWRULE : Rtnl.RTM_DELRULE,
                add ? ADD_FLAGS : DEL_FLAGS);
        boolean toTable = r.action() == Rtnl.FR_ACT_TO_TBL;
        // struct fib_rule_hdr: family, dst_len, src_len, tos, table, res1, res2, action, flags.
        b.u8(r.ipv6() ? LinuxConstants.AF_INET6 : LinuxConstants.AF_INET).u8(r.to() == null ? 0 : r.toLength())
                .u8(r.from() == null ? 0 : r.fromLength()).u8(0).u8(toTable && r.table() < 256 ? (int) r.table() : 0)
                .u8(0).u8(0).u8(r.action()).u32(0);
        if (toTable && r.table() >= 256) {
            b.attrU32(Rtnl.FRA_TABLE, r.table());
        }
        if (r.from() != null) {
            b.attrBytes(Rtnl.FRA_SRC, r.from().getAddress());
        }
        if (r.to() != null) {
            b.attrBytes(Rtnl.FRA_DST, r.to().getAddress());
        }
        if (r.priority() >= 0) {
            b.attrU32(Rtnl.FRA_PRIORITY, r.priority());
        }
        if (r.fwmark() >= 0) {
            b.attrU32(Rtnl.FRA_FWMARK, r.fwmark());
        }
        if (r.fwmask() >= 0) {
            b.attrU32(Rtnl.FRA_FWMASK, r.fwmask());
        }
        if (r.iifname() != null) {
            b.attrString(Rtnl.FRA_IIFNAME, r.iifname());
        }
        if (r.oifname() != null) {
            b.attrString(Rtnl.FRA_OIFNAME, r.oifname());
        }
        if (r.protocol() != 0) {
            b.attrU8(Rtnl.FRA_PROTOCOL, r.protocol());
        }
        return b.build(seq);
    }

    /** The add ({@code add}) or removal of route {@code r}, for {@link #apply}. */
    public static Change route(RouteEntry r, boolean add) {
        return new Change(routeRequest(r, add, 0), (add ? "adding route " : "removing route ") + r, add, r);
    }

    /** The add ({@code add}) or removal of rule {@code r}, for {@link #apply}. */
    public static Change rule(RuleEntry r, boolean add) {
        return new Change(ruleRequest(r, add, 0), (add ? "adding rule " : "removing rule ") + r, add, null);
    }

    /**
     * Whether the kernel holds route {@code r} itself (not only a route with its table,
     * destination and metric): one route dump, so for an EEXIST not yet known to be ours.
     */
    public boolean holds(RouteEntry r) {
        return RouteLookup.holds(socket, r);
    }

    /**
     * Whether route event {@code m} (an RTM_NEWROUTE that replaced a route, as {@link RouteMonitor}
     * hands them over) put another route in {@code r}'s place: same table, destination and metric,
     * not {@code r} itself. The event carries the new route, so no dump is needed.
     */
    public static boolean displaces(NetlinkMessage m, RouteEntry r) {
        return RouteLookup.sameKey(m, r) && !RouteLookup.matches(m, r);
    }

    /** Whether route event {@code m} is route {@code r} itself (as a dump's entry would match it). */
    public static boolean isThis(NetlinkMessage m, RouteEntry r) {
        return RouteLookup.matches(m, r);
    }

    /**
     * Makes {@code change}; ALREADY if there was nothing to do (an add: EEXIST; a removal: ESRCH
     * for a route, ENOENT for a rule, ENODEV when its interface went). Throws the kernel's refusal.
     * A route's EEXIST means only that a route with its key (table, destination, metric) is there,
     * which may be another one ({@link #holds} tells); a rule's EEXIST is an identical rule.
     */
    public Outcome apply(Change change) {
        int seq = NetlinkSocket.nextSeq();
        byte[] message = change.message().clone();
        ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN).putInt(8, seq);
        int errno = socket.requestAck(message, seq);
        if (errno == 0) {
            return Outcome.CHANGED;
        }
        boolean nothingToDo = change.add() ? errno == Errno.EEXIST.number()
                : errno == Errno.ESRCH.number() || errno == Errno.ENOENT.number() || errno == Errno.ENODEV.number();
        if (nothingToDo) {
            return Outcome.ALREADY;
        }
        throw new NetlinkException(change.what(), errno);
    }
}
