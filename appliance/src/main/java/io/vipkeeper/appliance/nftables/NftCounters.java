package io.vipkeeper.appliance.nftables;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TrafficCounters;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessageBuilder;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The engine's counters read straight from nf_tables over netlink: the elements of the per-backend
 * counter sets (NFT_MSG_GETSETELEM) and the services' named counters (NFT_MSG_GETOBJ), without
 * the rest of the table. Reading the whole table as JSON through libnftables to refresh them cost
 * about 1.3-2 s at 100 services x 100 backends (libnftables fetches every map's elements and
 * prints them; the counter sets are less than half of them); this is one dump per set. Used
 * while the ruleset generation stands still, when nothing but the counts can have moved. Not
 * thread-safe; one per engine.
 */
final class NftCounters implements AutoCloseable {
    private static final int NETLINK_NETFILTER = 12;
    private static final int NFPROTO_INET = 1;
    private static final int SUBSYS = 10 << 8;
    private static final int GETSETELEM = SUBSYS | 13;
    private static final int NEWSETELEM = SUBSYS | 12;
    private static final int GETOBJ = SUBSYS | 19;
    private static final int NEWOBJ = SUBSYS | 18;
    private static final int NFGENMSG_LENGTH = 4;
    /** NFTA_SET_ELEM_LIST_TABLE, _SET, _ELEMENTS. */
    private static final int LIST_TABLE = 1;
    private static final int LIST_SET = 2;
    private static final int LIST_ELEMENTS = 3;
    /** NFTA_LIST_ELEM. */
    private static final int LIST_ELEM = 1;
    /** NFTA_SET_ELEM_KEY, NFTA_SET_ELEM_EXPR, NFTA_SET_ELEM_EXPRESSIONS. */
    private static final int ELEM_KEY = 1;
    private static final int ELEM_EXPR = 7;
    private static final int ELEM_EXPRESSIONS = 11;
    /** NFTA_DATA_VALUE. */
    private static final int DATA_VALUE = 1;
    /** NFTA_EXPR_NAME, NFTA_EXPR_DATA. */
    private static final int EXPR_NAME = 1;
    private static final int EXPR_DATA = 2;
    /** NFTA_COUNTER_BYTES, NFTA_COUNTER_PACKETS (big-endian u64). */
    private static final int COUNTER_BYTES = 1;
    private static final int COUNTER_PACKETS = 2;
    /** NFTA_OBJ_TABLE, NFTA_OBJ_NAME, NFTA_OBJ_TYPE, NFTA_OBJ_DATA; NFT_OBJECT_COUNTER. */
    private static final int OBJ_TABLE = 1;
    private static final int OBJ_NAME = 2;
    private static final int OBJ_TYPE = 3;
    private static final int OBJ_DATA = 4;
    private static final int OBJECT_COUNTER = 1;

    private final NetlinkSocket socket = NetlinkSocket.open(NETLINK_NETFILTER, 0, 5000);
    /** The counter sets' elements the last {@link #recount} read, by set. */
    private Map<String, Map<String, Count>> lastSets = Map.of();

    /** A counter's two numbers. */
    record Count(long packets, long bytes) {
    }

    /**
     * {@code table} with the counts of now: each backend's from the counter sets (a backend
     * without elements there, which the data path makes with its first packets, counts 0), each
     * service's connections from its named counter. A service without one (a table an earlier
     * version wrote, with anonymous counters) keeps the count it had.
     */
    Map<ServiceKey, ActualService> recount(Map<ServiceKey, ActualService> table) {
        boolean v4 = table.keySet().stream().anyMatch(k -> !k.ipv6());
        boolean v6 = table.keySet().stream().anyMatch(ServiceKey::ipv6);
        Map<String, Map<String, Count>> sets = new HashMap<>();
        for (NftLayout.Counted what : NftLayout.Counted.values()) {
            for (boolean ipv6 : new boolean[] {false, true}) {
                if (ipv6 ? v6 : v4) {
                    String set = NftLayout.counters(ipv6, what);
                    sets.put(set, elements(set, ipv6));
                }
            }
        }
        Map<String, Long> named = namedCounters();
        lastSets = sets;
        Map<ServiceKey, ActualService> out = new LinkedHashMap<>();
        table.forEach((key, svc) -> out.put(key, recount(key, svc, sets, named)));
        return out;
    }

    /**
     * The script that deletes the elements the last {@link #recount} found in the counter sets
     * that no backend of {@code table} names, or "" when there are none: the data path makes an
     * element for any DNATed connection of a balanced VIP and protocol, so a packet of a backend's
     * flow between the transaction that deleted the backend (and its elements) and the cut of its
     * conntrack flows makes it again, and would keep it for ever. Elements of a VIP, protocol and
     * address that has a real server without a port (counted by no element: its port is the
     * packet's) are left alone, or each refresh would delete them again.
     */
    String strays(Map<ServiceKey, ActualService> table) {
        Set<String> named = new HashSet<>();
        Set<String> portless = new HashSet<>();
        table.forEach((key, svc) -> {
            if (key.isFwmark()) {
                return;
            }
            for (BackendKey b : svc.dests().keySet()) {
                if (b.port() == 0) {
                    String e = element(key, b);
                    portless.add(e.substring(0, e.length() - 1)); // "VIP proto backend "
                } else {
                    named.add(element(key, b));
                }
            }
        });
        StringBuilder script = new StringBuilder();
        lastSets.forEach((set, elements) -> {
            String gone = elements.keySet().stream().filter(e -> !named.contains(e))
                    .filter(e -> portless.stream().noneMatch(e::startsWith)).sorted()
                    .map(e -> e.replace(" ", " . ")).collect(java.util.stream.Collectors.joining(", "));
            if (!gone.isEmpty()) {
                String command = " element inet " + NftLayout.TABLE + " " + set + " { " + gone + " }\n";
                script.append("add").append(command).append("delete").append(command);
            }
        });
        return script.toString();
    }

    private static ActualService recount(ServiceKey key, ActualService svc, Map<String, Map<String, Count>> sets,
            Map<String, Long> named) {
        Map<BackendKey, ActualBackend> dests = new LinkedHashMap<>();
        long[] sums = new long[4];
        svc.dests().forEach((b, a) -> {
            TrafficCounters stats = a.stats();
            if (!key.isFwmark() && b.port() != 0) {
                String element = element(key, b);
                Count[] c = new Count[NftLayout.Counted.values().length];
                for (NftLayout.Counted what : NftLayout.Counted.values()) {
                    c[what.ordinal()] = sets.getOrDefault(NftLayout.counters(key.ipv6(), what), Map.of()).get(element);
                }
                // An absent element: no packet of that kind yet (the data path makes it), so 0.
                stats = new TrafficCounters(packets(c[0]), packets(c[1]), packets(c[2]), bytes(c[1]), bytes(c[2]));
            }
            dests.put(b, new ActualBackend(a.spec(), a.activeConnections(), a.inactiveConnections(),
                    a.persistentConnections(), stats, a.overloaded()));
            sums[0] += stats.inPackets();
            sums[1] += stats.outPackets();
            sums[2] += stats.inBytes();
            sums[3] += stats.outBytes();
        });
        long connections = named.getOrDefault(NftLayout.connections(key), svc.stats().connections());
        return new ActualService(svc.spec(), dests, new TrafficCounters(connections, sums[0], sums[1], sums[2], sums[3]));
    }

    private static long packets(Count c) {
        return c == null ? 0 : c.packets();
    }

    private static long bytes(Count c) {
        return c == null ? 0 : c.bytes();
    }

    /** A counter set element as NftTableReader names it: "VIP proto backend port". */
    static String element(ServiceKey key, BackendKey b) {
        return NetUtil.toAddressString(key.address()) + " " + NftLayout.protocolName(key) + " "
                + NetUtil.toAddressString(b.address()) + " " + b.port();
    }

    /** The elements of counter set {@code set} and their counts. */
    private Map<String, Count> elements(String set, boolean ipv6) {
        int seq = NetlinkSocket.nextSeq();
        byte[] request = new NetlinkMessageBuilder(GETSETELEM, NetlinkMessageBuilder.NLM_F_REQUEST | NetlinkMessageBuilder.NLM_F_DUMP)
                .u8(NFPROTO_INET).u8(0).u16(0)
                .attrString(LIST_TABLE, NftLayout.TABLE).attrString(LIST_SET, set).build(seq);
        Map<String, Count> out = new HashMap<>();
        socket.requestEach(request, seq, "NFT_MSG_GETSETELEM " + set, m -> {
            if (m.type() == NEWSETELEM) {
                parseElements(m.payload(), ipv6, out);
            }
        });
        return out;
    }

    /** Adds the elements in one NEWSETELEM message's payload (after the netlink header) to {@code out}. */
    static void parseElements(byte[] payload, boolean ipv6, Map<String, Count> out) {
        Attr list = Attr.find(payload, NFGENMSG_LENGTH, payload.length, LIST_ELEMENTS);
        if (list == null) {
            return;
        }
        for (Attr elem = Attr.first(payload, list.from, list.to); elem != null; elem = elem.next(payload, list.to)) {
            if (elem.type != LIST_ELEM) {
                continue;
            }
            Attr key = Attr.find(payload, elem.from, elem.to, ELEM_KEY);
            Attr value = key == null ? null : Attr.find(payload, key.from, key.to, DATA_VALUE);
            Count count = counter(payload, elem);
            if (value != null && count != null) {
                String name = key(payload, value.from, value.to - value.from, ipv6);
                if (name != null) {
                    out.put(name, count);
                }
            }
        }
    }

    /** The element's counter expression, one or among several, or null. */
    private static Count counter(byte[] p, Attr elem) {
        Attr one = Attr.find(p, elem.from, elem.to, ELEM_EXPR);
        if (one != null) {
            return counterExpr(p, one);
        }
        Attr many = Attr.find(p, elem.from, elem.to, ELEM_EXPRESSIONS);
        for (Attr e = many == null ? null : Attr.first(p, many.from, many.to); e != null; e = e.next(p, many.to)) {
            Count c = counterExpr(p, e);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static Count counterExpr(byte[] p, Attr expr) {
        Attr name = Attr.find(p, expr.from, expr.to, EXPR_NAME);
        Attr data = Attr.find(p, expr.from, expr.to, EXPR_DATA);
        if (name == null || data == null || !"counter".equals(string(p, name))) {
            return null;
        }
        return counts(p, data);
    }

    private static Count counts(byte[] p, Attr data) {
        Attr bytes = Attr.find(p, data.from, data.to, COUNTER_BYTES);
        Attr packets = Attr.find(p, data.from, data.to, COUNTER_PACKETS);
        if (bytes == null || packets == null || bytes.to - bytes.from < 8 || packets.to - packets.from < 8) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.BIG_ENDIAN);
        return new Count(b.getLong(packets.from), b.getLong(bytes.from));
    }

    /**
     * VIP . protocol . backend address . port, each field in 4-byte registers as nf_tables
     * concatenates them (addresses 4 or 16 bytes, the protocol one byte and the port two, each
     * padded to 4), as "VIP proto backend port"; null when it is not that shape.
     */
    static String key(byte[] p, int from, int length, boolean ipv6) {
        int a = ipv6 ? 16 : 4;
        if (length != 2 * a + 8) {
            return null;
        }
        try {
            InetAddress vip = InetAddress.getByAddress(java.util.Arrays.copyOfRange(p, from, from + a));
            int proto = p[from + a] & 0xff;
            InetAddress backend = InetAddress.getByAddress(java.util.Arrays.copyOfRange(p, from + a + 4, from + 2 * a + 4));
            int port = ((p[from + 2 * a + 4] & 0xff) << 8) | (p[from + 2 * a + 5] & 0xff);
            String protocol = TransportProtocol.ofNumber(proto).map(TransportProtocol::configName).orElse(null);
            return protocol == null ? null : NetUtil.toAddressString(vip) + " " + protocol + " "
                    + NetUtil.toAddressString(backend) + " " + port;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The table's named counters and their packets. */
    private Map<String, Long> namedCounters() {
        int seq = NetlinkSocket.nextSeq();
        byte[] request = new NetlinkMessageBuilder(GETOBJ, NetlinkMessageBuilder.NLM_F_REQUEST | NetlinkMessageBuilder.NLM_F_DUMP)
                .u8(NFPROTO_INET).u8(0).u16(0)
                .attrString(OBJ_TABLE, NftLayout.TABLE).attrBe32(OBJ_TYPE, OBJECT_COUNTER).build(seq);
        Map<String, Long> out = new HashMap<>();
        socket.requestEach(request, seq, "NFT_MSG_GETOBJ", m -> {
            if (m.type() != NEWOBJ) {
                return;
            }
            byte[] p = m.payload();
            Attr table = Attr.find(p, NFGENMSG_LENGTH, p.length, OBJ_TABLE);
            Attr name = Attr.find(p, NFGENMSG_LENGTH, p.length, OBJ_NAME);
            Attr data = Attr.find(p, NFGENMSG_LENGTH, p.length, OBJ_DATA);
            Count c = data == null ? null : counts(p, data);
            // A dump filtered by table is answered for every table by older kernels: keep ours.
            if (table != null && NftLayout.TABLE.equals(string(p, table)) && name != null && c != null) {
                out.put(string(p, name), c.packets());
            }
        });
        return out;
    }

    private static String string(byte[] p, Attr a) {
        int end = a.from;
        while (end < a.to && p[end] != 0) {
            end++;
        }
        return new String(p, a.from, end - a.from, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * One attribute's place in a message: its type and payload [from, to). Attributes are walked in
     * place: a list holds many of one type (NFTA_LIST_ELEM), which a map by type would fold.
     */
    private record Attr(int type, int start, int from, int to) {
        static Attr at(byte[] p, int off, int end) {
            if (off + 4 > end) {
                return null;
            }
            int len = (p[off] & 0xff) | (p[off + 1] & 0xff) << 8;
            int type = ((p[off + 2] & 0xff) | (p[off + 3] & 0xff) << 8) & 0x3fff;
            if (len < 4 || off + len > end) {
                return null;
            }
            return new Attr(type, off, off + 4, off + len);
        }

        static Attr first(byte[] p, int from, int to) {
            return at(p, from, to);
        }

        Attr next(byte[] p, int end) {
            return at(p, start + ((to - start + 3) & ~3), end);
        }

        static Attr find(byte[] p, int from, int to, int type) {
            for (Attr a = first(p, from, to); a != null; a = a.next(p, to)) {
                if (a.type == type) {
                    return a;
                }
            }
            return null;
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
