package io.vipkeeper.appliance.it;

import java.util.List;

/**
 * Files a reload must refuse, made from a valid vipkeeper file: empty, half-written (cut before
 * its last closing brace, so never a complete file), and valid HOCON with one bad value or key.
 */
final class ChaosFiles {
    static final String EMPTY = "empty";
    static final String HALF_WRITTEN = "half-written";
    /** Every variant; the planner draws one. */
    static final List<String> VARIANTS = List.of(EMPTY, HALF_WRITTEN, "priority 300", "VRID 0",
            "bare advert interval", "misspelt key", "no VIPs", "garp repeat 0", "stray brace");

    private ChaosFiles() {
    }

    /** {@code valid} broken the way {@code variant} says; {@code at} places the cut of a half-written file. */
    static String broken(String valid, String variant, double at) {
        return switch (variant) {
            case EMPTY -> "";
            case HALF_WRITTEN -> valid.substring(0, (int) (at * valid.lastIndexOf('}')));
            case "priority 300" -> replaceOnce(valid, "priority = \\d+", "priority = 300");
            case "VRID 0" -> replaceOnce(valid, "virtual-router-id = \\d+", "virtual-router-id = 0");
            case "bare advert interval" -> replaceOnce(valid, "advert-interval = (\\d+)ms", "advert-interval = $1");
            case "misspelt key" -> replaceOnce(valid, "interface = eth0", "interface = eth0\n      preemt = true");
            case "no VIPs" -> replaceOnce(valid, "virtual-ips = \\[[^]]*]", "virtual-ips = []");
            case "garp repeat 0" -> replaceOnce(valid, "master-repeat = \\d+", "master-repeat = 0");
            case "stray brace" -> valid + "}\n";
            default -> throw new IllegalArgumentException(variant);
        };
    }

    /** {@code text} with the first match of {@code regex} replaced; the lab's own mistake if there is none. */
    static String replaceOnce(String text, String regex, String replacement) {
        String out = text.replaceFirst(regex, replacement);
        if (out.equals(text)) {
            throw new IllegalStateException("no " + regex + " in the lab's config");
        }
        return out;
    }
}
