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
     * Thrown out of the parser by the includer for an included keepalived.conf: the parser would
     * report its first keepalived line as a syntax error.
     */
    static final class KeepalivedInclude extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String file;
        private final int line;

        KeepalivedInclude(String file, int line) {
            super(file + ":" + line, null, false, false);
            this.file = file;
            this.line = line;
        }

        /** Adds the one problem about the included file to {@code problems}. */
        void report(Problems problems) {
            problems.add(keepalived(file, line, problems));
        }
    }

    /**
     * Whether {@code content}, read from {@code file}, is a keepalived.conf (see {@link
     * #keepalivedSection}); if so one problem, at that section's line, says how to convert it.
     */
    static boolean refuseKeepalived(String file, byte[] content, Problems problems) {
        int line = keepalivedSection(content);
        if (line > 0) {
            problems.add(keepalived(file, line, problems));
        }
        return line > 0;
    }

    /** The same for an included file: throws {@link KeepalivedInclude} out of the parser. */
    static void refuseKeepalivedInclude(String file, byte[] content) {
        int line = keepalivedSection(content);
        if (line > 0) {
            throw new KeepalivedInclude(file, line);
        }
    }

    private static ConfigProblem keepalived(String file, int line, Problems problems) {
        return new ConfigProblem(file, line, "this looks like keepalived.conf: vipkeeper import-keepalived "
                + problems.fileName(file));
    }

    /**
     * The line of the first keepalived section (vrrp_instance, global_defs, virtual_server, ...)
     * written as keepalived does, in a text that never mentions vipkeeper; 0 when there is none.
     */
    static int keepalivedSection(byte[] content) {
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\n", -1);
        int first = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!") || line.startsWith("//")) {
                continue;
            }
            String word = KeepalivedKeywords.firstWord(line);
            if (word.replace("\"", "").startsWith("vipkeeper")) {
                return 0;
            }
            String rest = line.substring(word.length()).strip();
            // "global_defs = {" is HOCON that happens to use the word.
            boolean section = KeepalivedKeywords.SECTIONS.contains(word) && !rest.startsWith("=") && !rest.startsWith(":");
            if (section && first == 0) {
                first = i + 1;
            }
        }
        return first;
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
