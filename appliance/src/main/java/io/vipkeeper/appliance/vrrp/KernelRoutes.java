package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.IpPrefix;
import io.vipkeeper.appliance.config.VirtualRoute;
import io.vipkeeper.appliance.config.VirtualRule;
import io.vipkeeper.vrrp.linux.rtnl.RouteEntry;
import io.vipkeeper.vrrp.linux.rtnl.RuleEntry;

/** Virtual routes and rules of the config as the kernel entries rtnetlink adds and removes. */
final class KernelRoutes {
    private KernelRoutes() {
    }

    /** {@code r} going out of ifindex {@code oif} (0: none named). */
    static RouteEntry route(VirtualRoute r, int oif) {
        return new RouteEntry(r.to().address(), r.to().prefixLength(), r.via().orElse(null), oif,
                r.source().orElse(null), r.table(), r.metric().orElse(-1L), r.scope().value(), r.protocol(),
                r.type().value());
    }

    /** {@code r} as a fib rule. */
    static RuleEntry rule(VirtualRule r) {
        return new RuleEntry(r.ipv6(), r.from().map(IpPrefix::address).orElse(null),
                r.from().map(IpPrefix::prefixLength).orElse(0), r.to().map(IpPrefix::address).orElse(null),
                r.to().map(IpPrefix::prefixLength).orElse(0), r.table(), r.priority().orElse(-1L),
                r.fwmark().orElse(-1L), r.fwmask().orElse(-1L), r.iif().orElse(null), r.oif().orElse(null),
                r.type().value(), r.protocol());
    }
}
