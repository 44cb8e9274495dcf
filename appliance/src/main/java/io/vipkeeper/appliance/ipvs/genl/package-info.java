/**
 * IPVS over generic netlink: builds the IPVS_CMD_* messages, parses the replies and maps the
 * neutral names to the kernel's numbers (IpvsCodes). IpvsClient is the IpvsKernel the daemon
 * opens. May depend on ipvs, dataplane and the VRRP library's netlink code.
 */
package io.vipkeeper.appliance.ipvs.genl;
