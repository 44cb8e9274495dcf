package io.vipkeeper.appliance.config;

import java.util.Optional;

/**
 * A policy routing rule a VRRP instance installs while MASTER and removes when it leaves MASTER
 * (keepalived's virtual_rules), with the options of {@code ip rule add}.
 *
 * @param ipv6 its family
 * @param from the source prefix matched, empty for all
 * @param to the destination prefix matched, empty for all
 * @param table the table looked up (type table), else 0
 * @param priority its preference (ip rule's priority), empty: the kernel picks one
 * @param fwmark the firewall mark matched, if any
 * @param fwmask the mask of the mark, if any
 * @param iif the incoming interface matched, if any
 * @param oif the outgoing interface matched, if any
 * @param type what a matching packet gets
 * @param protocol FRA_PROTOCOL (18 keepalived by default, as keepalived tags its rules)
 */
public record VirtualRule(boolean ipv6, Optional<IpPrefix> from, Optional<IpPrefix> to, long table,
        Optional<Long> priority, Optional<Long> fwmark, Optional<Long> fwmask, Optional<String> iif,
        Optional<String> oif, RuleType type, int protocol) {

    /** As {@code ip rule add} would take it, for logs. */
    @Override
    public String toString() {
        return (ipv6 ? "-6 " : "") + priority.map(p -> "priority " + p + " ").orElse("")
                + "from " + from.map(IpPrefix::toString).orElse("all") + to.map(t -> " to " + t).orElse("")
                + fwmark.map(m -> " fwmark 0x" + Long.toHexString(m) + fwmask.map(k -> "/0x" + Long.toHexString(k))
                        .orElse("")).orElse("")
                + iif.map(i -> " iif " + i).orElse("") + oif.map(o -> " oif " + o).orElse("")
                + (type == RuleType.TABLE ? " lookup " + table : " " + type.configName()) + " proto " + protocol;
    }
}
