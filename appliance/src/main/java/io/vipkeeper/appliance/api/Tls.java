package io.vipkeeper.appliance.api;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.vipkeeper.appliance.config.ApiSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * TLS for the TCP listener ({@code api.tls}): a server context from the PEM certificate and key
 * (Netty's {@link SslContextBuilder#forServer}), built again when the settings or either file's
 * modification time change, so a renewed certificate is served from the next connection on.
 */
final class Tls {
    /** The files and their modification times a context was built from. */
    private record Source(ApiSettings.Tls files, FileTime cert, FileTime key) {
    }

    private Source built;
    private SslContext context;

    /**
     * A TLS handler for a new connection, by the current files.
     *
     * @throws IllegalStateException naming the files when they cannot make a context (the connection is dropped)
     */
    synchronized SslHandler handler(ApiSettings.Tls files, ByteBufAllocator alloc) {
        Source now;
        try {
            now = new Source(files, Files.getLastModifiedTime(files.cert()), Files.getLastModifiedTime(files.key()));
        } catch (IOException e) {
            throw new IllegalStateException("api.tls: cannot read " + e.getMessage(), e);
        }
        if (!Objects.equals(now, built)) {
            try {
                context = SslContextBuilder.forServer(files.cert().toFile(), files.key().toFile()).build();
            } catch (SSLException | IllegalArgumentException e) {
                throw new IllegalStateException("api.tls: cannot serve TLS with " + files.cert() + " and "
                        + files.key() + ": " + e.getMessage(), e);
            }
            built = now;
        }
        return context.newHandler(alloc);
    }
}
