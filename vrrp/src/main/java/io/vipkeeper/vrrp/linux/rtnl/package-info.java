/**
 * rtnetlink, the part VRRP needs: add and remove interface addresses as keepalived does for VIPs
 * (IFA_LOCAL, a label, IFA_F_NODAD on IPv6), add and remove the routes and policy rules that
 * follow the master (keepalived's virtual_routes / virtual_rules, {@code Routing}), query links,
 * and monitor threads that turn link, address, route and rule events into callbacks (malformed
 * events counted, never fatal). Depends on {@code linux.netlink} and the constants and errno of
 * {@code linux}; nothing here decides when an address or route should be there. See vrrp/DESIGN.md.
 */
package io.vipkeeper.vrrp.linux.rtnl;
