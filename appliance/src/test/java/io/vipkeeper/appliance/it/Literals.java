package io.vipkeeper.appliance.it;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Address literals in the engine tests: an InetAddress without a name lookup, and its bytes in hex as nft names carry them. */
final class Literals {
    private Literals() {
    }

    /** {@code literal} (an IPv4 or IPv6 address) as an InetAddress. */
    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** The address's bytes in lower-case hex, as in the engine's set and map names. */
    static String hex(String address) {
        StringBuilder s = new StringBuilder();
        for (byte b : ip(address).getAddress()) {
            s.append(String.format("%02x", b & 0xff));
        }
        return s.toString();
    }
}
