package io.vipkeeper.appliance.realserver;

import io.vipkeeper.appliance.config.Addresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code realserver up} did, kept for {@code down}: the VIPs it put on lo and each sysctl's
 * value before the first {@code up} touched it. A text file an operator can read and, in an
 * emergency, apply by hand:
 *
 * <pre>
 * # vipkeeper realserver state
 * version 1
 * vip 198.18.2.10
 * original net.ipv4.conf.all.arp_ignore 0
 * </pre>
 *
 * @param vips the VIPs, in config order
 * @param originals sysctl name to its value before vipkeeper changed it, in the order they were set
 */
public record RealServerState(List<InetAddress> vips, Map<Sysctl, Integer> originals) {
    /** Bumped when a line's meaning changes, so a newer file is refused rather than misread. */
    static final int VERSION = 1;
    private static final String HEADER = "# vipkeeper realserver state: written by `up`, read and deleted by `down`";

    /** Copies both collections, keeping their order. */
    public RealServerState {
        vips = List.copyOf(vips);
        originals = Collections.unmodifiableMap(new LinkedHashMap<>(originals));
    }

    /** The file's text. */
    public String format() {
        StringBuilder b = new StringBuilder(HEADER).append('\n').append("version ").append(VERSION).append('\n');
        for (InetAddress v : vips) {
            b.append("vip ").append(Addresses.format(v)).append('\n');
        }
        originals.forEach((s, value) -> b.append("original ").append(s.name()).append(' ').append(value).append('\n'));
        return b.toString();
    }

    /**
     * Reads {@link #format()}'s text; {@code source} names the file in messages.
     *
     * @throws RealServerException naming {@code source:line} for anything it does not understand
     */
    public static RealServerState parse(String text, String source) {
        List<InetAddress> vips = new ArrayList<>();
        Map<Sysctl, Integer> originals = new LinkedHashMap<>();
        boolean versionSeen = false;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + ":" + (i + 1) + ": ";
            String[] w = line.split("\\s+");
            if (!versionSeen) {
                if (w.length != 2 || !w[0].equals("version")) {
                    throw new RealServerException(where + "expected \"version " + VERSION + "\" first");
                }
                if (!w[1].equals(String.valueOf(VERSION))) {
                    throw new RealServerException(where + "version " + w[1] + " is not " + VERSION
                            + " (written by another vipkeeper release?)");
                }
                versionSeen = true;
            } else if (w[0].equals("vip") && w.length == 2) {
                Optional<InetAddress> a = Addresses.parse(w[1]);
                vips.add(a.orElseThrow(() -> new RealServerException(where + "\"" + w[1] + "\" is not an IP address")));
            } else if (w[0].equals("original") && w.length == 3) {
                originals.put(sysctl(w[1], where), value(w[2], where));
            } else {
                throw new RealServerException(where + "cannot read \"" + line + "\"");
            }
        }
        if (!versionSeen) {
            throw new RealServerException(source + ": empty (no \"version " + VERSION + "\" line)");
        }
        return new RealServerState(vips, originals);
    }

    private static Sysctl sysctl(String name, String where) {
        try {
            return new Sysctl(name);
        } catch (RealServerException e) {
            throw new RealServerException(where + e.getMessage());
        }
    }

    private static int value(String s, String where) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new RealServerException(where + "\"" + s + "\" is not an integer");
        }
    }
}
