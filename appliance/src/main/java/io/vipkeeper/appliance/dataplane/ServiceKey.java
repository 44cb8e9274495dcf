package io.vipkeeper.appliance.dataplane;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Identity of a virtual service in the data plane: family + protocol + address + port, or family
 * + firewall mark (how IPVS keys it too).
 *
 * @param ipv6 address family
 * @param protocol IP protocol number (6, 17, 132); 0 for a fwmark service
 * @param address virtual address; null for a fwmark service
 * @param port virtual port; 0 for a fwmark service
 * @param fwmark firewall mark; 0 for an address service
 */
public record ServiceKey(boolean ipv6, int protocol, InetAddress address, int port, long fwmark) {

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

    /** As {@code ipvsadm -Ln} names it: {@code TCP  198.18.0.100:80} or {@code FWM  7}. */
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
        return String.format(java.util.Locale.ROOT, "%-4s %s", proto, NetUtil.toSocketAddressString(new InetSocketAddress(address, port)));
    }
}
