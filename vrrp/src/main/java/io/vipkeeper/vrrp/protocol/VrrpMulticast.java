package io.vipkeeper.vrrp.protocol;

import io.netty.util.NetUtil;
import java.net.InetAddress;

/**
 * The IANA multicast groups VRRP advertisements go to.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9568#section-5.1.1.2">RFC 9568 §5.1.1.2</a>
 */
public final class VrrpMulticast {
    /** IPv4 group 224.0.0.18. */
    public static final InetAddress IPV4 = address("224.0.0.18");
    /** IPv6 group ff02::12. */
    public static final InetAddress IPV6 = address("ff02::12");

    private VrrpMulticast() {
    }

    /** The group for the family of {@code sample}. */
    public static InetAddress groupFor(InetAddress sample) {
        return sample.getAddress().length == 16 ? IPV6 : IPV4;
    }

    private static InetAddress address(String literal) {
        return NetUtil.createInetAddressFromIpAddressString(literal);
    }
}
