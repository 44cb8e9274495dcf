package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigValueFactory;
import io.vipkeeper.vrrp.protocol.HmacTrailer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads the hmac-sha256 keys of an {@code authentication} block ({@code key}, {@code keys},
 * {@code active-key}, {@code mode}, {@code anti-replay}, {@code time-window}) as keepalived's
 * auth_hmac parser does, with each problem at its line. Secrets never appear in a message.
 */
final class HmacReader {
    /** keepalived reads at most a hex: prefix, 128 digits and a little slack from a key file. */
    private static final int KEY_FILE_MAX = 4 + 2 * HmacTrailer.KEY_MAX + 8;
    private static final String LENGTHS = "an hmac-sha256 key is " + HmacTrailer.KEY_MIN + ".." + HmacTrailer.KEY_MAX
            + " bytes: \"hex:\" and 64..128 hex digits, \"file:/PATH\" of a file holding either form, or the text's"
            + " own bytes (keepalived's auth_hmac key)";

    private HmacReader() {
    }

    /**
     * The keys the block defines when {@code type} is hmac-sha256; else null, after checking that no
     * keys are written (nothing when the type itself is unreadable). Null after a problem.
     */
    static HmacConfig read(ConfigNode a, String key, AuthType type) {
        List<ConfigNode> listed = a.objectList("keys", ConfigValueFactory.fromMap(Map.of()));
        Integer active = a.integer("active-key", 1, 255);
        HmacConfig.Mode mode = a.enumValue("mode", HmacConfig.Mode.class);
        HmacConfig.AntiReplay antiReplay = a.enumValue("anti-replay", HmacConfig.AntiReplay.class);
        Duration window = a.duration("time-window", Duration.ZERO, Duration.ofSeconds(300));
        if (type != AuthType.HMAC_SHA256) {
            if (type != null && !listed.isEmpty()) {
                a.problem("keys", "is not used with type = " + type.configName());
            }
            return null;
        }
        String typeName = type.configName();
        boolean ok = active != null && mode != null && antiReplay != null && window != null;
        if (window != null && (window.toMillis() % 1000 != 0)) {
            a.problem("time-window", "must be whole seconds, 1s..300s (or 0s: max(3 x advert-interval, 5s))");
            ok = false;
        }
        TreeMap<Integer, String> keys = new TreeMap<>();
        Map<Integer, Integer> lines = new HashMap<>();
        if (!key.isEmpty()) {
            Optional<String> k = canonical(a, "key", key);
            ok &= k.isPresent();
            k.ifPresent(v -> keys.put(1, v));
            lines.put(1, a.originOf("key").lineNumber());
        }
        for (ConfigNode one : listed) {
            Integer id = one.integer("id", 1, 255);
            String value = one.string("key");
            one.checkUnknownKeys();
            if (id == null || value == null) {
                ok = false;
                continue;
            }
            Optional<String> k = canonical(one, "key", value);
            if (k.isEmpty()) {
                ok = false;
            } else if (keys.containsKey(id)) {
                one.problem("id", "key id " + id + " is defined twice (also at line " + lines.get(id)
                        + (id == 1 && !key.isEmpty() ? ", authentication.key is key 1" : "") + ")");
                ok = false;
            } else {
                keys.put(id, k.get());
                lines.put(id, one.originOf("id").lineNumber());
            }
        }
        if (keys.isEmpty() && ok) {
            a.problemHere("type = " + typeName + " needs key or keys");
            return null;
        }
        if (active != null && ok && !keys.containsKey(active)) {
            String defined = String.join(", ", keys.keySet().stream().map(String::valueOf).toList());
            if (a.written("active-key")) {
                a.problem("active-key", "is " + active + " but no key has that id (defined: " + defined + ")");
            } else {
                // The default (1) was not written: say so where the keys are, not in reference.conf.
                a.problem("keys", "no key has id " + active + ", the default active-key: set active-key to"
                        + " the id adverts are signed with (defined: " + defined + ")");
            }
            ok = false;
        }
        return ok ? new HmacConfig(keys, active, mode, antiReplay, window) : null;
    }

    /** {@code "hex:..."} of the key {@code value} stands for, or empty after a problem at {@code field}. */
    private static Optional<String> canonical(ConfigNode n, String field, String value) {
        String text = value;
        if (value.startsWith("file:")) {
            Optional<String> read = keyFile(n, field, value.substring(5));
            if (read.isEmpty()) {
                return Optional.empty();
            }
            text = read.get();
        }
        Optional<byte[]> bytes = HmacTrailer.decodeKey(text);
        if (bytes.isEmpty()) {
            n.problem(field, "\"hex:\" is not followed by an even number of hex digits; " + LENGTHS);
            return Optional.empty();
        }
        int length = bytes.get().length;
        if (length < HmacTrailer.KEY_MIN || length > HmacTrailer.KEY_MAX) {
            n.problem(field, "is " + length + " bytes; " + LENGTHS);
            return Optional.empty();
        }
        return Optional.of("hex:" + HexFormat.of().formatHex(bytes.get()));
    }

    /** The text of a key file without its line end, as keepalived reads it; empty after a problem. */
    private static Optional<String> keyFile(ConfigNode n, String field, String path) {
        Path p = Path.of(path);
        if (!p.isAbsolute()) {
            n.problem(field, "file: needs an absolute path, got \"" + path + "\"");
            return Optional.empty();
        }
        if (Files.exists(p) && !Files.isRegularFile(p)) {
            // A FIFO would hang the load (and a reload) on its read, a device fill the heap.
            n.problem(field, path + " is not a regular file");
            return Optional.empty();
        }
        try (java.io.InputStream in = Files.newInputStream(p)) {
            byte[] read = in.readNBytes((int) KEY_FILE_MAX + 1);
            if (read.length > KEY_FILE_MAX) {
                n.problem(field, path + " is larger than a key file can be (" + KEY_FILE_MAX + " bytes)");
                return Optional.empty();
            }
            String text = new String(read, StandardCharsets.UTF_8);
            return Optional.of(text.replaceAll("[\r\n]+$", ""));
        } catch (IOException | RuntimeException e) {
            n.problem(field, path + " cannot be read (" + e.getClass().getSimpleName() + ")");
            return Optional.empty();
        }
    }
}
