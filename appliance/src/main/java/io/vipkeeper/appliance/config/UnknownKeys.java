package io.vipkeeper.appliance.config;

import java.util.Set;

/**
 * What an unknown key is reported as: a keepalived keyword with what vipkeeper calls it, a setting
 * written outside {@code vipkeeper { }}, or else "unknown key" with the nearest known one.
 */
final class UnknownKeys {
    private UnknownKeys() {
    }

    /**
     * The message for {@code key}, written in the block at {@code blockPath} ("" for the file's top
     * level) whose keys are {@code known}.
     */
    static String message(String blockPath, String key, Set<String> known) {
        return KeepalivedKeywords.hint(key, blockPath, known).orElseGet(() ->
                blockPath.isEmpty() && FileShape.vipkeeperKeys().contains(key)
                        ? "unknown key: it belongs inside vipkeeper { } (does a '}' above close vipkeeper too early?)"
                        : "unknown key" + Suggestions.hint(key, known));
    }
}
