package io.vipkeeper.appliance.config;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Parses IP literals, prefixes and socket addresses from config strings without ever resolving a
 * host name (a config check must not depend on DNS).
 */
public final class Addresses {
    private Addresses() {
    }

    /** An IPv4 or IPv6 literal; empty for anything else, including host names. */
    public static Optional<InetAddress> parse(String s) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(s.trim());
        if (bytes == null || s.contains("%")) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** {@code ADDR} or {@code ADDR/LEN}; without a length the prefix is the whole address (/32, /128). */
    public static Optional<IpPrefix> parsePrefix(String s) {
        int slash = s.indexOf('/');
        Optional<InetAddress> address = parse(slash < 0 ? s : s.substring(0, slash));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        int max = bits(address.get());
        if (slash < 0) {
            return Optional.of(new IpPrefix(address.get(), max));
        }
        try {
            int len = Integer.parseInt(s.substring(slash + 1));
            return len < 0 || len > max ? Optional.empty() : Optional.of(new IpPrefix(address.get(), len));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code 198.18.0.1:80} or {@code [2001:db8::1]:80}, port 1..65535. */
    public static Optional<InetSocketAddress> parseSocket(String s) {
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            return Optional.empty();
        }
        Optional<InetAddress> address = parse(host);
        try {
            int port = Integer.parseInt(s.substring(colon + 1));
            if (address.isEmpty() || port < 1 || port > 65535) {
                return Optional.empty();
            }
            return Optional.of(new InetSocketAddress(address.get(), port));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** 32 or 128. */
    public static int bits(InetAddress a) {
        return a instanceof Inet6Address ? 128 : 32;
    }

    /** "IPv4" or "IPv6", for messages. */
    public static String family(InetAddress a) {
        return a instanceof Inet6Address ? "IPv6" : "IPv4";
    }

    /** The canonical literal (compressed IPv6), without a leading slash or host name. */
    public static String format(InetAddress a) {
        return NetUtil.toAddressString(a);
    }

    /** {@code ADDR:PORT}, with IPv6 in brackets. */
    public static String format(InetSocketAddress s) {
        return NetUtil.toSocketAddressString(s);
    }
}
