package io.vipkeeper.appliance.vrrp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lower interface's ARP sysctls as they were before the first vmac, written into each vmac's
 * interface alias ({@code /sys/class/net/VMAC/ifalias}). The daemon keeps them in memory to put
 * them back at its stop; after a SIGKILL the vmac stays behind with its alias, and the next start,
 * which replaces that leftover, takes the values from it instead of reading the lower interface's
 * current (changed) ones, so a later stop still restores what the operator had.
 */
final class VmacAlias {
    private static final String PREFIX = "vipkeeper-vmac lower=";
    private static final Pattern TEXT = Pattern.compile(Pattern.quote(PREFIX) + "(\\S+)((?: [a-z_]+=-?\\d{1,9})*)");
    private static final Pattern PAIR = Pattern.compile(" ([a-z_]+)=(-?\\d{1,9})");
    private static final Path NET = Path.of("/sys/class/net");
    /** The keys recorded and the largest value each takes (ip-sysctl.rst). */
    private static final Map<String, Integer> RANGES = Map.of("arp_ignore", 8, "arp_filter", 1, "arp_announce", 2);

    private VmacAlias() {
    }

    /** The alias text for {@code lower}'s {@code values}. */
    static String text(String lower, Map<String, Integer> values) {
        StringBuilder b = new StringBuilder(PREFIX).append(lower);
        values.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        return b.toString();
    }

    /** The values an alias holds for {@code lower}; empty for another lower link or any other text. */
    static Optional<Map<String, Integer>> parse(String alias, String lower) {
        Matcher m = TEXT.matcher(alias.trim());
        if (!m.matches() || !m.group(1).equals(lower)) {
            return Optional.empty();
        }
        Map<String, Integer> values = new LinkedHashMap<>();
        Matcher p = PAIR.matcher(m.group(2));
        while (p.find()) {
            int value = Integer.parseInt(p.group(2));
            Integer max = RANGES.get(p.group(1));
            // Only values these sysctls can hold: another tool's text is not ours to write back.
            if (max == null || value < 0 || value > max) {
                return Optional.empty();
            }
            values.put(p.group(1), value);
        }
        return Optional.of(values);
    }

    /** Writes the alias of link {@code vmac}; false when the kernel refused it. */
    static boolean write(String vmac, String lower, Map<String, Integer> values) {
        try {
            Files.writeString(NET.resolve(vmac).resolve("ifalias"), text(lower, values) + "\n", StandardCharsets.US_ASCII);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What link {@code vmac}'s alias holds for {@code lower}, if it is one of ours. */
    static Optional<Map<String, Integer>> read(String vmac, String lower) {
        try {
            return parse(Files.readString(NET.resolve(vmac).resolve("ifalias"), StandardCharsets.US_ASCII), lower);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
