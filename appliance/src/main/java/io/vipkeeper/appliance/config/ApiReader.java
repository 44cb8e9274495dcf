package io.vipkeeper.appliance.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Reads the {@code api} block into {@link ApiSettings}. */
final class ApiReader {
    /**
     * The highest {@code max-connections}: each connection may hold an 8 KiB request in the 64 MB
     * heap (systemd/jvm-options) and a descriptor of the 65536 the unit allows, so 1024 bounds the
     * API to 8 MiB and under 2% of the descriptors even when misconfigured.
     */
    static final int MAX_CONNECTIONS = 1024;

    /** A group name as useradd(8) and /etc/group take it (a name that starts with a digit looks like a gid). */
    private static final java.util.regex.Pattern GROUP_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");

    private ApiReader() {
    }

    /** The token file's tokens (read again at each load); null after a problem. */
    private static TokenFile.Tokens tokens(ConfigNode api, Boolean write) {
        Optional<String> file = api.optionalString("token-file").map(String::strip).filter(f -> !f.isEmpty());
        if (file.isEmpty()) {
            if (Boolean.TRUE.equals(write)) {
                api.problem("write", "on needs api.token-file: the tokens that may write");
                return null;
            }
            return TokenFile.Tokens.NONE;
        }
        try {
            return TokenFile.readForDaemon(Path.of(file.get()));
        } catch (TokenFile.Problem e) {
            api.problem("token-file", e.getMessage());
            return null;
        }
    }

    /** {@code api.tls}: empty when neither file is set; null after a problem. */
    private static Optional<ApiSettings.Tls> tls(ConfigNode api) {
        ConfigNode tls = api.child("tls");
        String cert = tls.optionalString("cert").map(String::strip).orElse("");
        String key = tls.optionalString("key").map(String::strip).orElse("");
        tls.checkUnknownKeys();
        if (cert.isEmpty() && key.isEmpty()) {
            return Optional.empty();
        }
        if (cert.isEmpty() || key.isEmpty()) {
            // Said at the one that is set: the missing one has no line in the operator's file.
            tls.problem(cert.isEmpty() ? "key" : "cert", "api.tls needs both cert and key (PEM files); "
                    + (cert.isEmpty() ? "cert" : "key") + " is missing");
            return null;
        }
        boolean ok = pem(tls, "cert", cert, "-----BEGIN CERTIFICATE-----", "a PEM certificate")
                & pem(tls, "key", key, "-----BEGIN PRIVATE KEY-----",
                        "a PEM PKCS#8 private key (openssl pkcs8 -topk8 -nocrypt converts an older one)");
        return ok ? Optional.of(new ApiSettings.Tls(Path.of(cert), Path.of(key))) : null;
    }

    /** Whether {@code file} is readable and holds {@code marker}; records a problem saying it is not {@code kind} when not. */
    private static boolean pem(ConfigNode tls, String key, String file, String marker, String kind) {
        try {
            String text = Files.readString(Path.of(file), StandardCharsets.ISO_8859_1);
            if (!text.contains(marker)) {
                tls.problem(key, file + " is not " + kind);
                return false;
            }
            return true;
        } catch (IOException e) {
            tls.problem(key, "cannot read " + file + ": " + e.getMessage());
            return false;
        }
    }

    /** The settings, or null when the block has a problem (recorded in the node's problems). */
    static ApiSettings read(ConfigNode api) {
        Optional<InetSocketAddress> listen = api.optionalString("listen").flatMap(s -> {
            Optional<InetSocketAddress> a = Addresses.parseSocket(s);
            if (a.isEmpty()) {
                api.problem("listen", "\"" + s + "\" is not ADDR:PORT (IPv6 as [ADDR]:PORT), or \"\" to disable");
            }
            return a;
        });
        Integer max = api.integer("max-connections", 1, MAX_CONNECTIONS);
        Integer perClient = api.integer("max-connections-per-client", 1, MAX_CONNECTIONS);
        if (max != null && perClient != null && perClient > max) {
            api.problem("max-connections-per-client", perClient + " is more than max-connections (" + max + ")");
            perClient = null;
        }
        Duration idle = api.duration("idle-timeout", Duration.ofMillis(100), Duration.ofMinutes(10));
        Optional<String> group = api.optionalString("control-group").map(String::strip).filter(g -> !g.isEmpty());
        if (group.isPresent() && !GROUP_NAME.matcher(group.get()).matches()) {
            api.problem("control-group", "\"" + group.get() + "\" is not a group name (letters, digits, _ . -; not"
                    + " starting with - or a digit), or \"\" for root only");
            group = null;
        }
        String read = api.string("socket-read");
        Boolean restricted = read == null ? null : switch (read) {
            case "all" -> false;
            case "control-group" -> true;
            default -> {
                api.problem("socket-read", "\"" + read + "\" is not all or control-group");
                yield null;
            }
        };
        Boolean write = api.bool("write");
        TokenFile.Tokens tokens = tokens(api, write);
        Optional<ApiSettings.Tls> tls = tls(api);
        if (Boolean.TRUE.equals(write) && listen.isPresent() && !listen.get().getAddress().isLoopbackAddress()
                && tls != null && tls.isEmpty()) {
            api.problem("write", "on with api.listen " + Addresses.format(listen.get()) + ", not a loopback address,"
                    + " needs api.tls { cert, key }: a bearer token must not cross the network in clear");
            write = null;
        }
        api.checkUnknownKeys();
        if (max == null || perClient == null || idle == null || group == null || write == null || tokens == null
                || tls == null || restricted == null) {
            return null;
        }
        return new ApiSettings(listen, max, perClient, idle, group, write, tokens, tls, restricted);
    }
}
