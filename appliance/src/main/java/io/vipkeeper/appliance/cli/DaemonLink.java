package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.config.TokenFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The one place a control command's transport is chosen: the daemon's control socket beside its
 * pid file (peer credentials decide), or with {@code --url} its HTTP API, a write carrying
 * {@code Authorization: Bearer} with a token from {@code --token-file}, TLS trusting the system's
 * authorities or {@code --cacert}'s certificates.
 */
abstract class DaemonLink {
    /** A link that cannot be made (a bad URL, an unreadable token or CA file), said in words. */
    static final class Problem extends Exception {
        Problem(String message) {
            super(message);
        }
    }

    /**
     * The options that pick it.
     *
     * @param socket the daemon's control socket; used without a URL
     * @param url the API's base URL ({@code https://host:port}); null for the control socket
     * @param tokenFile a token file ({@code name token} lines); null for no token
     * @param tokenName which token of the file; null when it holds one
     * @param caCert PEM certificates to trust instead of the system's; null for the system's
     */
    record Options(Path socket, String url, Path tokenFile, String tokenName, Path caCert) {
    }

    /** The link {@code o} asks for. */
    static DaemonLink of(Options o) throws Problem {
        if (o.url() == null) {
            if (o.tokenFile() != null || o.caCert() != null) {
                throw new Problem("--token-file and --cacert go with --url (the control socket needs neither)");
            }
            return new Socket(o.socket());
        }
        URI base;
        try {
            base = new URI(o.url().replaceAll("/+$", ""));
        } catch (URISyntaxException e) {
            throw new Problem("--url " + o.url() + ": " + e.getMessage());
        }
        if (!List.of("http", "https").contains(String.valueOf(base.getScheme())) || base.getHost() == null) {
            throw new Problem("--url " + o.url() + ": expected http(s)://HOST:PORT");
        }
        String token = o.tokenFile() == null ? null : token(o.tokenFile(), o.tokenName());
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(StatusCommand.TIMEOUT);
        if (o.caCert() != null) {
            b.sslContext(trusting(o.caCert()));
        }
        return new Http(b.build(), base, token);
    }

    /** GETs {@code path} (a read). */
    LocalHttp.Response get(String path) throws IOException, InterruptedException {
        return get(path, StatusCommand.TIMEOUT);
    }

    /** POSTs to {@code path} (a write). */
    LocalHttp.Response post(String path) throws IOException, InterruptedException {
        return post(path, StatusCommand.TIMEOUT);
    }

    /** GETs {@code path}, waiting at most {@code timeout} for the answer. */
    abstract LocalHttp.Response get(String path, java.time.Duration timeout) throws IOException, InterruptedException;

    /** POSTs to {@code path}, waiting at most {@code timeout} for the answer (a VRRP handover takes seconds). */
    abstract LocalHttp.Response post(String path, java.time.Duration timeout) throws IOException, InterruptedException;

    /** Where it goes, for messages. */
    abstract String where();

    private static String token(Path file, String name) throws Problem {
        TokenFile.Tokens tokens;
        try {
            tokens = TokenFile.read(file);
        } catch (TokenFile.Problem e) {
            throw new Problem(e.getMessage());
        }
        List<TokenFile.Token> all = tokens.all();
        if (name != null) {
            return all.stream().filter(t -> t.name().equals(name)).findFirst().map(TokenFile.Token::secret)
                    .orElseThrow(() -> new Problem(file + " has no token named " + name));
        }
        if (all.size() != 1) {
            throw new Problem(file + " holds " + all.size() + " tokens: say which with --token-name");
        }
        return all.get(0).secret();
    }

    /** A TLS context trusting the certificates in {@code pem} only. */
    private static SSLContext trusting(Path pem) throws Problem {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            if (i == 0) {
                throw new Problem("--cacert " + pem + ": no PEM certificate in it");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new Problem("--cacert " + pem + ": " + e.getMessage());
        }
    }

    /** Over the control socket. */
    private static final class Socket extends DaemonLink {
        private final Path socket;

        Socket(Path socket) {
            this.socket = socket;
        }

        @Override
        LocalHttp.Response get(String path, java.time.Duration timeout) throws IOException, InterruptedException {
            return LocalHttp.get(socket, path, timeout);
        }

        @Override
        LocalHttp.Response post(String path, java.time.Duration timeout) throws IOException, InterruptedException {
            return LocalHttp.post(socket, path, timeout);
        }

        @Override
        String where() {
            return socket.toString();
        }
    }

    /** Over the HTTP API. */
    private static final class Http extends DaemonLink {
        private final HttpClient client;
        private final URI base;
        private final String token;

        Http(HttpClient client, URI base, String token) {
            this.client = client;
            this.base = base;
            this.token = token;
        }

        @Override
        LocalHttp.Response get(String path, java.time.Duration timeout) throws IOException, InterruptedException {
            return send(request(path, timeout).GET());
        }

        @Override
        LocalHttp.Response post(String path, java.time.Duration timeout) throws IOException, InterruptedException {
            return send(request(path, timeout).POST(HttpRequest.BodyPublishers.noBody()));
        }

        private HttpRequest.Builder request(String path, java.time.Duration timeout) {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
            return token == null ? r : r.header("Authorization", "Bearer " + token);
        }

        private LocalHttp.Response send(HttpRequest.Builder r) throws IOException, InterruptedException {
            HttpResponse<String> a;
            try {
                a = client.send(r.build(), HttpResponse.BodyHandlers.ofString());
            } catch (javax.net.ssl.SSLHandshakeException e) {
                // PKIX path building failed ...: what the operator can do about it, not the JDK's words.
                throw new IOException("its TLS certificate is not trusted here: give the daemon's certificate (or its CA)"
                        + " with --cacert FILE (" + e.getMessage() + ")", e);
            }
            return new LocalHttp.Response(a.statusCode(), a.body());
        }

        @Override
        String where() {
            return base.toString();
        }
    }
}
