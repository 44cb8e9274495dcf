package io.vipkeeper.appliance.keepalived;

import java.util.ArrayList;
import java.util.List;

/**
 * virtual_server_group members: {@code ADDR PORT}, {@code ADDR-LAST PORT} ranges (the last byte of
 * IPv4, the last group of IPv6) and {@code fwmark N}. vipkeeper has no groups, so a group's virtual
 * server is written once per member.
 */
final class ServerGroups {
    /** One member: an address and port, or a firewall mark. */
    record Member(String address, Integer port, Long fwmark) {
        String key() {
            return fwmark != null ? "fwmark-" + fwmark : "vs-" + Values.key(address + "-" + port);
        }
    }

    /** Ranges above this many addresses are refused (keepalived takes up to 255 in one member). */
    private static final int MAX_RANGE = 256;

    private ServerGroups() {
    }

    static List<Member> members(ImportContext ctx, Statement group) {
        List<Member> out = new ArrayList<>();
        for (Statement m : group.children()) {
            if (m.keyword().equals("fwmark")) {
                m.word(1).ifPresent(v -> out.add(new Member(null, null, Long.parseLong(v))));
                continue;
            }
            if (m.words().size() < 2) {
                ctx.unsupported(m, "a group member without a port: vipkeeper needs ADDR PORT");
                continue;
            }
            int port = ctx.integer(m, 1, 0, 65535).orElse(-1);
            if (port < 0) {
                continue;
            }
            String addr = m.keyword();
            int dash = addr.lastIndexOf('-');
            if (dash < 0) {
                out.add(new Member(addr, port, null));
                continue;
            }
            boolean v6 = addr.contains(":");
            String first = addr.substring(0, dash);
            int sep = first.lastIndexOf(v6 ? ':' : '.');
            try {
                int radix = v6 ? 16 : 10;
                int from = Integer.parseInt(first.substring(sep + 1), radix);
                int to = Integer.parseInt(addr.substring(dash + 1), radix);
                if (to < from || to - from >= MAX_RANGE) {
                    throw new NumberFormatException();
                }
                for (int i = from; i <= to; i++) {
                    out.add(new Member(first.substring(0, sep + 1) + (v6 ? Integer.toHexString(i) : i), port, null));
                }
            } catch (RuntimeException e) {
                ctx.unsupported(m, "not a range keepalived takes (ADDR-LAST, last part only); list the addresses");
            }
        }
        return out;
    }
}
