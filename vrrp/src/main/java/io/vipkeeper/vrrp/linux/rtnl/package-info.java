/**
 * rtnetlink, the part VRRP needs: add and remove interface addresses as keepalived does for VIPs
 * (IFA_LOCAL, a label, IFA_F_NODAD on IPv6), query links, and a link monitor thread that turns
 * RTM_NEWLINK / RTM_DELLINK and address events into callbacks (malformed events counted, never
 * fatal). Depends on {@code linux.netlink} and the constants and errno of {@code linux}; nothing
 * here decides when an address should be there. See vrrp/DESIGN.md.
 */
package io.vipkeeper.vrrp.linux.rtnl;
