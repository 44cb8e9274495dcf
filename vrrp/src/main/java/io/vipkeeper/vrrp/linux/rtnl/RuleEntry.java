package io.vipkeeper.vrrp.linux.rtnl;

import java.net.InetAddress;

/**
 * A policy routing rule as RTM_NEWRULE / RTM_DELRULE carry it (struct fib_rule_hdr and its FRA_*
 * attributes): what {@code ip rule add} would send for the same words.
 *
 * @param ipv6 its family
 * @param from FRA_SRC, or null for any
 * @param fromLength its prefix length
 * @param to FRA_DST, or null for any
 * @param toLength its prefix length
 * @param table the table looked up (action FR_ACT_TO_TBL), 0 for none (another action)
 * @param priority FRA_PRIORITY (ip rule's preference), -1 for the kernel's choice
 * @param fwmark FRA_FWMARK, -1 for none
 * @param fwmask FRA_FWMASK, -1 for none
 * @param iifname FRA_IIFNAME, or null
 * @param oifname FRA_OIFNAME, or null
 * @param action fib_rule_hdr action (1 to table, 6 blackhole, 7 unreachable, 8 prohibit)
 * @param protocol FRA_PROTOCOL (who installed it: 18 keepalived, as keepalived tags its rules), 0 for none
 */
public record RuleEntry(boolean ipv6, InetAddress from, int fromLength, InetAddress to, int toLength, long table,
        long priority, long fwmark, long fwmask, String iifname, String oifname, int action, int protocol) {

    /** "from 198.18.104.100/32 lookup 100 priority 1000" for logs and errors. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(ipv6 ? "inet6" : "inet");
        if (priority >= 0) {
            b.append(" priority ").append(priority);
        }
        b.append(" from ").append(from == null ? "all" : from.getHostAddress() + "/" + fromLength);
        if (to != null) {
            b.append(" to ").append(to.getHostAddress()).append('/').append(toLength);
        }
        if (fwmark >= 0) {
            b.append(" fwmark 0x").append(Long.toHexString(fwmark));
            if (fwmask >= 0) {
                b.append("/0x").append(Long.toHexString(fwmask));
            }
        }
        if (iifname != null) {
            b.append(" iif ").append(iifname);
        }
        if (oifname != null) {
            b.append(" oif ").append(oifname);
        }
        b.append(action == Rtnl.FR_ACT_TO_TBL ? " lookup " + table : " action " + action);
        return b.toString();
    }
}
