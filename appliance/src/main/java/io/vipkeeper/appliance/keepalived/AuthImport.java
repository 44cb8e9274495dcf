package io.vipkeeper.appliance.keepalived;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An instance's authentication block (PASS, AH) and keepalived 2.4's auth_hmac block to
 * vipkeeper's authentication. The secret is carried into the output and never into a note: notes
 * name the keyword and at most the length.
 */
final class AuthImport {
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

    private static Hocon hmac(ImportContext ctx, Statement block) {
        Map<Integer, String> keys = new LinkedHashMap<>();
        Integer active = null;
        for (Statement s : block.children()) {
            switch (s.keyword()) {
                case "key" -> ctx.integer(s, 1, 1, 255).ifPresent(id -> keys.put(id, s.word(2).orElse("")));
                case "active_key" -> active = ctx.integer(s, 1, 1, 255).stream().boxed().findFirst().orElse(null);
                case "mode" -> {
                    if (!s.word(1).filter("enforce"::equals).isPresent()) {
                        ctx.unsupported(s, "vipkeeper runs auth_hmac in enforce mode only");
                    }
                }
                default -> ctx.unsupported(s, "vipkeeper's hmac-sha256 has one key (id 1) in enforce mode; "
                        + "set the rest by hand when it gains them");
            }
        }
        Integer id = active != null ? active : keys.keySet().stream().findFirst().orElse(null);
        String key = id == null ? null : keys.get(id);
        if (key == null || !key.startsWith("hex:")) {
            ctx.unsupported(block, "vipkeeper needs the active key inline as \"hex:...\" (no file: keys, no ASCII "
                    + "keys): write authentication.key by hand");
            return null;
        }
        if (keys.size() > 1) {
            ctx.unsupported(block, "several keys (rotation): vipkeeper carries only the active key");
        }
        if (id != 1) {
            ctx.unsupported(block, "vipkeeper sends key id 1; the active key here has id " + id + ": give it id 1 "
                    + "on every node");
        }
        return new Hocon().put("type", "hmac-sha256").put("key", key);
    }
}
