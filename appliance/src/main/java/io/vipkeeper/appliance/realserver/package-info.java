/**
 * The real-server side of DR and TUN forwarding (vipkeeper realserver up/down): VIPs on loopback,
 * the ARP sysctls, and a state file to undo exactly what was done. May depend on config and the
 * VRRP library's Linux netlink code.
 */
package io.vipkeeper.appliance.realserver;
