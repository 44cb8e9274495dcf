package io.vipkeeper.appliance.config;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What an unknown key is reported as: a keepalived keyword with what vipkeeper calls it, a setting
 * written outside {@code vipkeeper { }}, a key spelt with underscores, or else "unknown key" with
 * the nearest known one.
 */
final class UnknownKeys {
    private UnknownKeys() {
    }

    /**
     * The message for {@code key}, written in the block at {@code blockPath} ("" for the file's top
     * level) whose keys are {@code known}.
     */
    static String message(String blockPath, String key, Set<String> known) {
        Optional<String> keepalived = KeepalivedKeywords.hint(key, blockPath, known);
        String dashed = key.toLowerCase(Locale.ROOT).replace('_', '-');
        if (keepalived.isPresent()) {
            return keepalived.get();
        } else if (blockPath.isEmpty() && FileShape.vipkeeperKeys().contains(key)) {
            return "unknown key: it belongs inside vipkeeper { } (does a '}' above close vipkeeper too early?)";
        } else if (!dashed.equals(key) && known.contains(dashed)) {
            // keepalived's habit, and Java's and YAML's: worth saying so rather than "did you mean".
            return "unknown key: keys are written with dashes here: " + dashed;
        }
        return "unknown key" + Suggestions.hint(key, known);
    }
}
