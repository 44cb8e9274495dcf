package io.vipkeeper.appliance.health;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.appliance.config.HealthCheck.Tls;
import java.io.File;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Client TLS contexts of https checks, one per distinct {@code tls} block (thousands of real
 * servers usually share one), built on first use; {@link #clear()} makes a reload re-read CA files.
 */
final class TlsContexts {
    private final Map<Tls, SslContext> contexts = new ConcurrentHashMap<>();

    /**
     * An SslHandler for one connection.
     *
     * @param ctx the context of {@code tls}
     * @param tls the check's tls block
     * @param virtualHost the http block's virtual host, the default server name
     * @param target where the connection goes
     */
    SslHandler handler(SslContext ctx, ByteBufAllocator alloc, Tls tls, Optional<String> virtualHost,
            InetSocketAddress target) {
        Optional<String> name = tls.sni().or(() -> virtualHost).filter(n -> Addresses.parse(n).isEmpty());
        String peer = name.orElse(target.getAddress().getHostAddress());
        SslHandler handler = ctx.newHandler(alloc, peer, target.getPort());
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        name.ifPresent(n -> params.setServerNames(List.of(new SNIHostName(n))));
        if (tls.verify()) {
            // Checks the certificate's names against the server name, or the address's IP SANs.
            params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        engine.setSSLParameters(params);
        return handler;
    }

    /** The context of {@code tls}, built on first use (reading its CA file). */
    SslContext context(Tls tls) throws SSLException {
        SslContext ctx = contexts.get(tls);
        if (ctx == null) {
            ctx = build(tls);
            contexts.putIfAbsent(tls, ctx);
        }
        return ctx;
    }

    void clear() {
        contexts.clear();
    }

    private static SslContext build(Tls tls) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
        if (!tls.verify()) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (tls.caFile().isPresent()) {
            File ca = new File(tls.caFile().get());
            if (!ca.canRead()) {
                throw new SSLException("cannot read ca-file " + ca);
            }
            try {
                b.trustManager(ca);
                return b.build();
            } catch (IllegalArgumentException | SSLException e) {
                throw new SSLException("ca-file " + ca + ": " + Failures.firstLine(String.valueOf(e.getMessage())), e);
            }
        }
        return b.build();
    }
}
