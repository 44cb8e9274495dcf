/**
 * The Linux side of owning an address: libc bound with jnr-ffi ({@link io.vipkeeper.vrrp.linux.LibC},
 * socket structs, errno), raw protocol-112 and AH sockets read on a Netty epoll loop
 * ({@link io.vipkeeper.vrrp.linux.LinuxVrrpTransport}, {@link io.vipkeeper.vrrp.linux.LinuxAhTransport}),
 * kernel receive timestamps, gratuitous ARP / unsolicited NA frames on an AF_PACKET socket, and
 * {@link io.vipkeeper.vrrp.linux.LinuxAddressOwner}, which adds the VIPs over rtnetlink before it
 * announces them. Implements the interfaces of {@code transport} and {@code fsm}; depends on
 * {@code protocol}, {@code codec}, {@code transport}, {@code fsm} and its own {@code netlink} and
 * {@code rtnl}, never on the appliance. The only package that touches the kernel. See
 * vrrp/DESIGN.md.
 */
package io.vipkeeper.vrrp.linux;
