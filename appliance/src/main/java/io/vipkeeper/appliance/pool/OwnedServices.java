package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.dataplane.PortList;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPVS services vipkeeper owns, kept in a file under its state directory
 * ({@code /var/lib/vipkeeper/ipvs-owned}) so that ownership outlives the process: a service removed
 * from the config while the daemon was stopped is still known as vipkeeper's at the next start, and
 * deleted, instead of staying in the kernel for good. One service per line ({@code tcp 198.18.0.100
 * 80}, {@code fwmark 7 ipv4}); written only when the set changes, through a temporary file and a
 * rename, so a crash leaves the old set or the new one. A line it cannot read is logged and skipped.
 */
public final class OwnedServices {
    private static final Logger LOG = LoggerFactory.getLogger(OwnedServices.class);
    /** Nothing kept: ownership lives in memory only (tests, benchmarks). */
    public static final OwnedServices NONE = new OwnedServices(null);

    private final Path file;
    private Set<ServiceKey> saved;
    private String lastProblem;

    private OwnedServices(Path file) {
        this.file = file;
    }

    /** Ownership kept in {@code file}. */
    public static OwnedServices in(Path file) {
        return new OwnedServices(file);
    }

    /** The services the last run owned; empty when there is no file yet. */
    Set<ServiceKey> load() {
        Set<ServiceKey> keys = new LinkedHashSet<>();
        if (file == null || !Files.exists(file)) {
            return keys;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    if (!line.isBlank()) {
                        keys.add(parse(line.strip()));
                    }
                } catch (RuntimeException e) {
                    LOG.warn("{}: skipping an unreadable line \"{}\": {}", file, line, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}; services removed from the config while vipkeeper was stopped stay in "
                    + "the kernel", file, e.toString());
        }
        saved = Set.copyOf(keys);
        return keys;
    }

    /** Records that {@code owned} are vipkeeper's now (no write when nothing changed). */
    void save(Set<ServiceKey> owned) {
        if (file == null || owned.equals(saved)) {
            return;
        }
        List<String> lines = new ArrayList<>();
        // Each key's name made once, not twice a comparison (String.format: 1,300 calls for 100 services).
        owned.stream().map(k -> Map.entry(k.toString(), k)).sorted(Map.Entry.comparingByKey())
                .forEach(e -> lines.add(format(e.getValue())));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            saved = Set.copyOf(owned);
            lastProblem = null;
        } catch (IOException | RuntimeException e) {
            String problem = e.toString();
            if (!problem.equals(lastProblem)) {
                LOG.warn("cannot record owned IPVS services in {}: {}", file, problem);
                lastProblem = problem;
            }
        }
    }

    static String format(ServiceKey k) {
        if (k.isFwmark()) {
            return "fwmark " + k.fwmark() + (k.ipv6() ? " ipv6" : " ipv4");
        }
        String proto = switch (k.protocol()) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 132 -> "sctp";
            default -> Integer.toString(k.protocol());
        };
        // A list of one port reads like a port: "ports=" tells them apart.
        return proto + " " + k.address().getHostAddress() + " " + (k.hasPorts() ? "ports=" + k.ports() : k.port());
    }

    static ServiceKey parse(String line) {
        String[] f = line.split(" ");
        if (f.length != 3) {
            throw new IllegalArgumentException("expected three fields");
        }
        if (f[0].equals("fwmark")) {
            return ServiceKey.ofFwmark(Long.parseLong(f[1]), f[2].equals("ipv6"));
        }
        int protocol = switch (f[0].toLowerCase(Locale.ROOT)) {
            case "tcp" -> 6;
            case "udp" -> 17;
            case "sctp" -> 132;
            default -> throw new IllegalArgumentException("unknown protocol " + f[0]);
        };
        if (!f[1].matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an address: " + f[1]);
        }
        InetAddress a = io.netty.util.NetUtil.createInetAddressFromIpAddressString(f[1]);
        if (a == null) {
            throw new IllegalArgumentException("not an address: " + f[1]);
        }
        if (f[2].startsWith("ports=")) {
            return new ServiceKey(a.getAddress().length == 16, protocol, a, 0, 0, PortList.parse(f[2].substring(6)));
        }
        return new ServiceKey(a.getAddress().length == 16, protocol, a, Integer.parseInt(f[2]), 0);
    }
}
