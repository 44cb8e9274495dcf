package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.appliance.config.RealServer;
import io.vipkeeper.appliance.config.VirtualServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * Finds a virtual server's backend by what an operator types: {@code ADDR:PORT} (IPv6 as
 * {@code [ADDR]:PORT}) as status shows it, or the bare address when only one backend has it.
 */
final class BackendLookup {
    private BackendLookup() {
    }

    /** The backend {@code text} names in {@code vs}. */
    static RealServer find(VirtualServer vs, String text) throws BackendRefusal {
        Optional<InetSocketAddress> socket = Addresses.parseSocket(text);
        List<RealServer> matches;
        if (socket.isPresent()) {
            InetSocketAddress a = socket.get();
            matches = vs.realServers().stream()
                    .filter(rs -> rs.address().equals(a.getAddress()) && rs.port() == a.getPort()).toList();
        } else {
            Optional<InetAddress> address = Addresses.parse(text);
            if (address.isEmpty()) {
                throw new BackendRefusal(BackendRefusal.Reason.BAD_REQUEST, "\"" + text
                        + "\" is not a backend address: ADDR[:PORT], IPv6 as [ADDR]:PORT");
            }
            matches = vs.realServers().stream().filter(rs -> rs.address().equals(address.get())).toList();
            if (matches.size() > 1) {
                throw new BackendRefusal(BackendRefusal.Reason.BAD_REQUEST, "virtual server " + vs.name() + " has "
                        + matches.size() + " backends at " + text + ": give the port ("
                        + String.join(", ", matches.stream().map(RealServer::identity).toList()) + ")");
            }
        }
        if (matches.isEmpty()) {
            throw new BackendRefusal(BackendRefusal.Reason.UNKNOWN_BACKEND, "virtual server " + vs.name()
                    + " has no backend " + text + " in the config (it has "
                    + String.join(", ", vs.realServers().stream().map(RealServer::identity).toList()) + ")");
        }
        return matches.get(0);
    }
}
