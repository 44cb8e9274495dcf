package io.vipkeeper.appliance.keepalived;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An instance's authentication block (PASS, AH) and keepalived 2.4's auth_hmac block to
 * vipkeeper's authentication. The secret is carried into the output and never into a note: notes
 * name the keyword and at most the length.
 */
final class AuthImport {
    /** keepalived's VRRP_AUTH_HMAC_KEY_MIN and _MAX, in bytes. */
    private static final int KEY_MIN = 32;
    private static final int KEY_MAX = 64;

    private AuthImport() {
    }

    /** The authentication block, or null when keepalived runs without authentication. */
    static Hocon map(ImportContext ctx, Statement auth, Statement hmac, int version) {
        if (hmac != null) {
            return hmac(ctx, hmac);
        }
        if (auth == null) {
            return null;
        }
        String type = null;
        String password = null;
        for (Statement s : auth.children()) {
            switch (s.keyword()) {
                case "auth_type" -> {
                    String t = s.word(1).orElse("");
                    type = t.equals("PASS") ? "pass" : t.equals("AH") ? "ah" : null;
                    if (type == null) {
                        ctx.notes.fallback(s.origin(), "auth_type", "\"" + t + "\" is not PASS or AH (keepalived "
                                + "compares case-sensitively): keepalived runs this instance without authentication, "
                                + "and so does the import");
                    }
                }
                case "auth_pass" -> {
                    password = s.word(1).orElse("");
                    if (password.length() > 8) {
                        ctx.notes.fallback(s.origin(), "auth_pass", "longer than 8 characters: keepalived uses the "
                                + "first 8, and so does the import");
                        password = password.substring(0, 8);
                    }
                }
                default -> ctx.unsupported(s, "no vipkeeper counterpart in authentication");
            }
        }
        if (type == null) {
            return null;
        }
        if (version == 3) {
            ctx.notes.fallback(auth.origin(), "authentication", "VRRPv3 has no authentication: keepalived ignores "
                    + "it, and so does the import (use auth_hmac / hmac-sha256 for v3)");
            return null;
        }
        if (password == null || password.isEmpty()) {
            ctx.notes.fallback(auth.origin(), "authentication", "no auth_pass: keepalived runs without "
                    + "authentication, and so does the import");
            return null;
        }
        return new Hocon().put("type", type).put("password", password);
    }

    /**
     * keepalived's auth_hmac block, carried whole: every key (inline hex, ASCII or file:), the
     * active key, mode, anti_replay and time_window. Where keepalived drops a line (a key of a bad
     * length, a duplicate id) or the whole extension (no active key among the keys) the import does
     * the same and says so.
     */
    private static Hocon hmac(ImportContext ctx, Statement block) {
        Map<Integer, String> keys = new LinkedHashMap<>();
        Integer active = null;
        String mode = null;
        String antiReplay = null;
        Integer window = null;
        for (Statement s : block.children()) {
            switch (s.keyword()) {
                case "key" -> ctx.integer(s, 1, 1, 255).ifPresent(id -> key(ctx, s, id, keys));
                case "active_key" -> active = ctx.integer(s, 1, 1, 255).stream().boxed().findFirst().orElse(null);
                case "mode" -> mode = choice(ctx, s, "enforce", "permissive", "receive-only").orElse(mode);
                case "anti_replay" -> antiReplay = choice(ctx, s, "time", "monotonic").orElse(antiReplay);
                case "time_window" -> window = ctx.integer(s, 1, 1, 300).stream().boxed().findFirst().orElse(window);
                default -> ctx.unsupported(s, "not an auth_hmac keyword");
            }
        }
        if (active == null || !keys.containsKey(active)) {
            ctx.notes.fallback(block.origin(), "auth_hmac", "active_key " + (active == null ? "is not set (0)"
                    : active + " is not among the keys") + ": keepalived disables the extension and runs without "
                    + "authentication, and so does the import");
            return null;
        }
        Hocon h = new Hocon().put("type", "hmac-sha256");
        if (keys.size() == 1 && keys.containsKey(1)) {
            h.put("key", keys.get(1));
        } else {
            h.put("keys", keys.entrySet().stream().map(e -> (Object) new Hocon().put("id", e.getKey())
                    .put("key", e.getValue())).toList());
            h.put("active-key", active);
        }
        if (mode != null && !mode.equals("enforce")) {
            h.put("mode", mode);
        }
        if ("monotonic".equals(antiReplay)) {
            h.put("anti-replay", antiReplay);
        }
        if (window != null) {
            h.put("time-window", window + "s");
        }
        return h;
    }

    /** One {@code key ID VALUE} line; keepalived skips a key of a bad length and a duplicate id. */
    private static void key(ImportContext ctx, Statement s, int id, Map<Integer, String> keys) {
        String value = s.word(2).orElse("");
        if (value.isEmpty()) {
            ctx.notes.fallback(s.origin(), "key", "needs an id and a value: keepalived skips the line, and so does "
                    + "the import");
            return;
        }
        if (!value.startsWith("file:")) {
            int length = keyLength(value);
            if (length < KEY_MIN || length > KEY_MAX) {
                ctx.notes.fallback(s.origin(), "key", "key " + id + " is " + length + " bytes, not 32..64: "
                        + "keepalived skips it, and so does the import");
                return;
            }
        }
        if (keys.putIfAbsent(id, value) != null) {
            ctx.notes.fallback(s.origin(), "key", "key id " + id + " is defined twice: keepalived keeps the first, "
                    + "and so does the import");
        }
    }

    /**
     * The bytes of a key as keepalived's parser reads it: after {@code hex:} two digits a byte (0
     * when it is not hex), else the text's own bytes. The import writes text only (JDK only), so
     * this is its own reading; {@code check} judges the key again with the daemon's.
     */
    private static int keyLength(String value) {
        if (!value.startsWith("hex:")) {
            return value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        String hex = value.substring(4);
        return hex.length() % 2 == 0 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0) ? hex.length() / 2 : 0;
    }

    /** The line's word if it is one of {@code valid} (keepalived compares case-sensitively), else a note. */
    private static Optional<String> choice(ImportContext ctx, Statement s, String... valid) {
        String w = s.word(1).orElse("");
        if (List.of(valid).contains(w)) {
            return Optional.of(w);
        }
        ctx.notes.fallback(s.origin(), s.keyword(), "\"" + w + "\" is not " + String.join(" or ", valid)
                + ": keepalived keeps its default, and so does the import");
        return Optional.empty();
    }
}
