package io.vipkeeper.appliance.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The interfaces and addresses of the network namespace this process runs in, as far as a config
 * check needs them: a file that names an interface or address the host lacks is valid, but will
 * not work here, and deserves a warning.
 */
interface HostNetwork {
    /** Every interface name, up or down, with or without an address; empty when it cannot be known. */
    Optional<Set<String>> interfaces();

    /** Each address on an interface, without scope, to the interface's name; empty when it cannot be known. */
    Optional<Map<InetAddress, String>> addresses();

    /**
     * Whether interface {@code name} is a tun device without IFF_PERSIST: one that lives only
     * while a process holds its descriptor, as the daemon holds its bgp device; empty when it
     * cannot be known.
     */
    default Optional<Boolean> heldTun(String name) {
        return Optional.empty();
    }

    /** A host that is not the one the view is for: nothing known, so nothing is judged against it. */
    HostNetwork UNKNOWN = new HostNetwork() {
        @Override
        public Optional<Set<String>> interfaces() {
            return Optional.empty();
        }

        @Override
        public Optional<Map<InetAddress, String>> addresses() {
            return Optional.empty();
        }
    };

    /** This process's namespace, asked afresh at every call. */
    HostNetwork LINUX = new HostNetwork() {
        @Override
        public Optional<Set<String>> interfaces() {
            // /proc/self/net follows the process's namespace; java.net.NetworkInterface leaves out
            // interfaces without an address, and /sys/class/net shows the namespace sysfs was
            // mounted in.
            try {
                List<String> lines = Files.readAllLines(Path.of("/proc/self/net/dev"));
                Set<String> names = new LinkedHashSet<>();
                for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        names.add(line.substring(0, colon).strip());
                    }
                }
                return Optional.of(names);
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        @Override
        public Optional<Boolean> heldTun(String name) {
            // A sysfs mounted in another namespace (unshare --net without a new mount) has no such
            // interface: nothing can be told. tun_flags exists for tun and tap devices only, and
            // linux/if_tun.h has IFF_PERSIST = 0x0800.
            Path dir = Path.of("/sys/class/net", name);
            if (!Files.isDirectory(dir)) {
                return Optional.empty();
            }
            try {
                String flags = Files.readString(dir.resolve("tun_flags")).strip();
                return Optional.of((Integer.decode(flags) & 0x0800) == 0);
            } catch (IOException | RuntimeException e) {
                return Optional.of(false);
            }
        }

        @Override
        public Optional<Map<InetAddress, String>> addresses() {
            Map<InetAddress, String> out = new HashMap<>();
            try {
                for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress a : Collections.list(i.getInetAddresses())) {
                        out.put(InetAddress.getByAddress(a.getAddress()), i.getName());
                    }
                }
            } catch (SocketException | UnknownHostException | RuntimeException e) {
                return Optional.empty();
            }
            return Optional.of(out);
        }
    };
}
