package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recognises a file that is not a vipkeeper config as a whole, so that it gets one problem that
 * says what it is instead of one per line or key: a keepalived.conf (the parser would stop at its
 * first line with a message about parentheses), or settings written without the {@code vipkeeper
 * { }} wrapper (each top-level key would be unknown).
 */
final class FileShape {
    private FileShape() {
    }

    /** The keys of the {@code vipkeeper} block in reference.conf. */
    static Set<String> vipkeeperKeys() {
        return Reference.KEYS;
    }

    /** Read once, when first asked for. */
    private static final class Reference {
        static final Set<String> KEYS = Set.copyOf(ConfigLoader.reference().getObject("vipkeeper").keySet());
    }

    /**
     * Whether {@code content}, read from {@code file}, is a keepalived.conf: it has a keepalived
     * section (vrrp_instance, global_defs, virtual_server, ...) written as keepalived does and never
     * mentions vipkeeper. If so one problem, at that section's line, says how to convert it.
     */
    static boolean refuseKeepalived(String file, byte[] content, Problems problems) {
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\n", -1);
        int first = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!") || line.startsWith("//")) {
                continue;
            }
            String word = KeepalivedKeywords.firstWord(line);
            if (word.replace("\"", "").startsWith("vipkeeper")) {
                return false;
            }
            String rest = line.substring(word.length()).strip();
            // "global_defs = {" is HOCON that happens to use the word.
            boolean section = KeepalivedKeywords.SECTIONS.contains(word) && !rest.startsWith("=") && !rest.startsWith(":");
            if (section && first == 0) {
                first = i + 1;
            }
        }
        if (first > 0) {
            problems.add(new ConfigProblem(file, first, "this looks like keepalived.conf: vipkeeper import-keepalived "
                    + problems.fileName(file)));
        }
        return first > 0;
    }

    /**
     * One problem, at the first of them, when the file writes settings of the {@code vipkeeper}
     * block at its top level and no {@code vipkeeper} block at all; nothing otherwise (a stray key
     * beside the block is an unknown key of its own).
     */
    static void checkWrapper(ConfigObject written, Problems problems) {
        if (written.containsKey("vipkeeper")) {
            return;
        }
        List<Map.Entry<String, ConfigValue>> outside = written.entrySet().stream()
                .filter(e -> vipkeeperKeys().contains(e.getKey()))
                .sorted(Comparator.comparingInt(e -> e.getValue().origin().lineNumber()))
                .toList();
        if (!outside.isEmpty()) {
            problems.add(outside.get(0).getValue().origin(), "the settings are not inside vipkeeper { }: wrap the"
                    + " file in vipkeeper { ... } (found " + String.join(", ", outside.stream().map(Map.Entry::getKey)
                    .toList()) + " at the top level)");
        }
    }
}
