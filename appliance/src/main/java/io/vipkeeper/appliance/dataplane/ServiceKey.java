package io.vipkeeper.appliance.dataplane;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Identity of a virtual service in the data plane: family + protocol + address + port, or family
 * + firewall mark (how IPVS keys it too), or family + protocol + address + a list of ports (a
 * multiport service, which only nftables balances).
 *
 * @param ipv6 address family
 * @param protocol IP protocol number (6, 17, 132); 0 for a fwmark service
 * @param address virtual address; null for a fwmark service
 * @param port virtual port; 0 for a fwmark service
 * @param fwmark firewall mark; 0 for an address service
 * @param ports the ports of a multiport service (its port is 0); {@link PortList#NONE} otherwise
 */
public record ServiceKey(boolean ipv6, int protocol, InetAddress address, int port, long fwmark, PortList ports) {
    /** A missing list is none. */
    public ServiceKey {
        ports = ports == null ? PortList.NONE : ports;
    }

    /** A service with one port, or a firewall-mark service. */
    public ServiceKey(boolean ipv6, int protocol, InetAddress address, int port, long fwmark) {
        this(ipv6, protocol, address, port, fwmark, PortList.NONE);
    }

    /** A multiport service. */
    public static ServiceKey ofPorts(TransportProtocol protocol, InetAddress address, PortList ports) {
        return new ServiceKey(address.getAddress().length == 16, protocol.number(), address, 0, 0, ports);
    }

    /** Whether this is a multiport service. */
    public boolean hasPorts() {
        return !ports.isEmpty();
    }

    /** An address service. */
    public static ServiceKey of(TransportProtocol protocol, InetAddress address, int port) {
        return new ServiceKey(address.getAddress().length == 16, protocol.number(), address, port, 0);
    }

    /** A firewall-mark service. */
    public static ServiceKey ofFwmark(long fwmark, boolean ipv6) {
        return new ServiceKey(ipv6, 0, null, 0, fwmark);
    }

    /** Whether this is a firewall-mark service. */
    public boolean isFwmark() {
        return fwmark != 0;
    }

    /**
     * As {@code ipvsadm -Ln} names it: {@code TCP  198.18.0.100:80} or {@code FWM  7}; a multiport
     * service as {@code TCP  198.18.0.100:80,443,8000-8100}.
     */
    @Override
    public String toString() {
        if (isFwmark()) {
            return "FWM  " + fwmark + (ipv6 ? " IPv6" : "");
        }
        String proto = switch (protocol) {
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 132 -> "SCTP";
            default -> "proto " + protocol;
        };
        // ipvsadm pads the protocol to four characters: "TCP  ...", "SCTP ...".
        String where = !hasPorts() ? NetUtil.toSocketAddressString(new InetSocketAddress(address, port))
                : (ipv6 ? "[" + NetUtil.toAddressString(address) + "]" : NetUtil.toAddressString(address)) + ":" + ports;
        return String.format(java.util.Locale.ROOT, "%-4s %s", proto, where);
    }
}
