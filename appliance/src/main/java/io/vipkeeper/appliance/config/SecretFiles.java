package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Finds the config files that hold secrets (VRRP authentication passwords and HMAC keys, in the
 * file itself or in an included one) and warns about each that every user of the host may read:
 * a VRRP password lets anyone on the segment take the VIPs. Warnings only, since a mode is not a
 * mistake in what the file says and a package upgrade must not stop a running pair.
 */
final class SecretFiles {
    /** The keys of an {@code authentication} block that hold its secret. */
    private static final List<String> SECRET_KEYS = List.of("password", "key");
    /** Keys named per file in a warning; more are counted. */
    private static final int NAMED = 3;

    private SecretFiles() {
    }

    /**
     * One warning per world-readable file holding a secret in {@code root} (the merged, resolved
     * tree), naming the file as {@code name} maps it.
     */
    static List<String> warnings(ConfigObject root, UnaryOperator<String> name) {
        Map<String, List<String>> keysByFile = new LinkedHashMap<>();
        collect("", root, keysByFile);
        List<String> warnings = new ArrayList<>();
        keysByFile.forEach((file, keys) -> {
            if (othersMayRead(Path.of(file))) {
                String shown = String.join(", ", keys.subList(0, Math.min(NAMED, keys.size())))
                        + (keys.size() > NAMED ? " and " + (keys.size() - NAMED) + " more" : "");
                String f = name.apply(file);
                warnings.add("warning: " + f + " is readable by other users and holds secrets (" + shown
                        + "); chmod 640 " + f);
            }
        });
        return warnings;
    }

    private static void collect(String path, ConfigObject o, Map<String, List<String>> keysByFile) {
        for (Map.Entry<String, ConfigValue> e : ObjectEntries.of(o)) {
            if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                continue;
            }
            String child = (path.isEmpty() ? "" : path + ".") + ConfigUtil.joinPath(e.getKey());
            ConfigObject block = (ConfigObject) e.getValue();
            if (e.getKey().equals("authentication")) {
                for (String k : SECRET_KEYS) {
                    secret(block.get(k), child + "." + k, keysByFile);
                }
                if (block.get("keys") instanceof com.typesafe.config.ConfigList keys) {
                    for (int i = 0; i < keys.size(); i++) {
                        if (keys.get(i) instanceof ConfigObject one) {
                            secret(one.get("key"), child + ".keys[" + i + "].key", keysByFile);
                        }
                    }
                }
            } else {
                collect(child, block, keysByFile);
            }
        }
    }

    /**
     * Records {@code v} under its file when it is a secret written there (a non-empty string); an
     * HMAC key given as {@code file:/PATH} under that file instead (keepalived warns about a key
     * file others may read, too).
     */
    private static void secret(ConfigValue v, String path, Map<String, List<String>> keysByFile) {
        if (v == null || v.valueType() != ConfigValueType.STRING || ((String) v.unwrapped()).isEmpty()) {
            return;
        }
        String text = (String) v.unwrapped();
        String file = text.startsWith("file:") && Path.of(text.substring(5)).isAbsolute() ? text.substring(5)
                : v.origin().filename();
        if (file != null) {
            keysByFile.computeIfAbsent(file, f -> new ArrayList<>()).add(path);
        }
    }

    private static boolean othersMayRead(Path file) {
        try {
            return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
