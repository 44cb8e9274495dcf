package io.vipkeeper.appliance.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code api.token-file}: the bearer tokens that may write over the HTTP API, one
 * {@code name token} per line ({@code #} starts a comment). The name is what the log and the
 * metrics say made a change, so a leaked token can be traced and revoked alone. The daemon's file
 * must be owned by root and readable by nobody else (0600 or stricter): anyone who can read it can
 * drain every backend. A token must carry about 128 bits or more ({@link #MIN_BITS}), judged from
 * its length and alphabet, so that guessing one over the network is hopeless.
 */
public final class TokenFile {
    /** The least a token must carry: a guess over the network must be hopeless. */
    static final int MIN_BITS = 128;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
    /** What RFC 6750 allows in a bearer token (base64, base64url, hex and more). */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private TokenFile() {
    }

    /**
     * One token.
     *
     * @param name who holds it, as the log and the metrics say it
     * @param secret the token itself; never logged
     */
    public record Token(String name, String secret) {
        @Override
        public String toString() {
            return "Token[" + name + "]";
        }
    }

    /**
     * The tokens of a file, in its order; {@link #NONE} when there is no file. Its string form names
     * the tokens only, so settings may be logged.
     */
    public record Tokens(List<Token> all) {
        /** No token: no write over TCP can pass. */
        public static final Tokens NONE = new Tokens(List.of());

        public Tokens {
            all = List.copyOf(all);
        }

        @Override
        public String toString() {
            return "Tokens" + all.stream().map(Token::name).toList();
        }
    }

    /** What is wrong with a token file, with the file (and line, when one line is at fault) first. */
    public static final class Problem extends Exception {
        Problem(String message) {
            super(message);
        }
    }

    /**
     * The daemon's tokens from {@code file}: it must be a regular file owned by root with no group or
     * other permissions, and hold at least one token.
     *
     * @throws Problem saying what is wrong and how to fix it
     */
    public static Tokens readForDaemon(Path file) throws Problem {
        try {
            if (!Files.isRegularFile(file)) {
                throw new Problem(file + ": no such file");
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.stream().anyMatch(OTHERS::contains)) {
                throw new Problem(file + " is mode " + octal(mode) + ": a token file must be readable by its owner only"
                        + " (chmod 600 " + file + ")");
            }
            Object uid = Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (!Integer.valueOf(0).equals(uid)) {
                throw new Problem(file + " is owned by uid " + uid + ": a token file must be owned by root (chown root "
                        + file + ")");
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new Problem(file + ": cannot read its mode and owner: " + e.getMessage());
        }
        // An empty file is allowed: deleting the last token's line and reloading is how it is
        // revoked (refusing that reload kept the revoked token working); every write over TCP then
        // gets 401.
        return read(file);
    }

    /**
     * The tokens in {@code file}, whoever owns it (the CLI's copy of a token).
     *
     * @throws Problem naming the file and line at fault
     */
    public static Tokens read(Path file) throws Problem {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Problem(file + ": cannot read it: " + e.getMessage());
        }
        return parse(file.toString(), lines);
    }

    /** The tokens in {@code lines} of the file named {@code file}. */
    static Tokens parse(String file, List<String> lines) throws Problem {
        Map<String, Token> byName = new LinkedHashMap<>();
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String at = file + ":" + (i + 1) + ": ";
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String[] f = (hash >= 0 ? line.substring(0, hash) : line).strip().split("\\s+");
            if (f.length == 1 && f[0].isEmpty()) {
                continue;
            }
            if (f.length != 2) {
                throw new Problem(at + "expected \"name token\", got " + f.length + " field(s)");
            }
            if (!NAME.matcher(f[0]).matches()) {
                throw new Problem(at + "\"" + f[0] + "\" is not a token name (letters, digits, _ . @ -; up to 64)");
            }
            if (!TOKEN.matcher(f[1]).matches()) {
                throw new Problem(at + "the token of " + f[0] + " has characters a bearer token may not have"
                        + " (letters, digits, - . _ ~ + / and = at the end)");
            }
            int bits = bits(f[1]);
            if (bits < MIN_BITS) {
                throw new Problem(at + "the token of " + f[0] + " is too short: about " + bits + " bits, at least "
                        + MIN_BITS + " wanted (make one with: openssl rand -hex 32)");
            }
            if (byName.containsKey(f[0])) {
                throw new Problem(at + "a second token named " + f[0] + ": each name once, so a change names its maker");
            }
            if (secrets.contains(f[1])) {
                throw new Problem(at + "the token of " + f[0] + " is another name's too: each holder needs its own");
            }
            secrets.add(f[1]);
            byName.put(f[0], new Token(f[0], f[1]));
        }
        return new Tokens(new ArrayList<>(byName.values()));
    }

    /**
     * The randomness a token can carry at most, from its length and alphabet: 4 bits a character
     * for hex, 6 for anything else (base64); padding carries none.
     */
    static int bits(String token) {
        String t = token.replaceAll("=+$", "");
        return t.length() * (HEX.matcher(t).matches() ? 4 : 6);
    }

    private static String octal(Set<PosixFilePermission> mode) {
        int m = 0;
        for (PosixFilePermission p : mode) {
            m |= 1 << (8 - p.ordinal());
        }
        return String.format("0%03o", m);
    }
}
