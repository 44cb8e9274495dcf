/**
 * Netlink without a library: a blocking socket in the network namespace of the thread that opened
 * it (request/ACK by sequence number, multi-part dumps, errors as exceptions with the errno), the
 * message builder and parser with length-checked attributes, and generic netlink family lookup
 * (which the appliance's IPVS client uses). Knows no message family's meaning. Depends only on the
 * libc binding and errno of {@code linux}; {@code rtnl} and the appliance build on it. See
 * vrrp/DESIGN.md.
 */
package io.vipkeeper.vrrp.linux.netlink;
