package io.vipkeeper.appliance.health;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** Short, stable reasons for failed checks, from the exceptions sockets and codecs throw. */
final class Failures {
    private Failures() {
    }

    /** "timeout after 1s", "timeout after 250ms". */
    static String timeout(Duration timeout) {
        return "timeout after " + io.vipkeeper.appliance.config.Durations.format(timeout);
    }

    static String reason(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof DecoderException || cause.getClass() == RuntimeException.class)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (cause instanceof PortUnreachableException) {
            return "port unreachable";
        }
        if (cause instanceof NoRouteToHostException || message.contains("no route to host")) {
            return "no route to host";
        }
        if (message.contains("network is unreachable")) {
            return "network unreachable";
        }
        if (cause instanceof ConnectTimeoutException) {
            return "connect timeout";
        }
        if (cause instanceof ConnectException || message.contains("connection refused")) {
            return "connection refused";
        }
        if (message.contains("connection reset")) {
            return "connection reset";
        }
        if (cause instanceof SSLHandshakeException) {
            return "tls handshake failed: " + firstLine(deepest(cause).getMessage());
        }
        if (cause instanceof SSLException) {
            return "tls: " + firstLine(cause.getMessage());
        }
        return firstLine(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    private static Throwable deepest(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static String firstLine(String s) {
        String line = String.valueOf(s).lines().findFirst().orElse("");
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }
}
