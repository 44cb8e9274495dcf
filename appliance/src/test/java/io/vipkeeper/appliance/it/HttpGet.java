package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One HTTP/1.0 GET from inside a lab namespace, for tests that count which backend answered. */
final class HttpGet {
    private HttpGet() {
    }

    /** The body of GET / from namespace {@code ns} to address:port, or null when nothing answers in time. */
    static String body(String ns, String address, int port, int timeoutMillis) {
        return body(ns, null, address, port, timeoutMillis);
    }

    /** The same from the namespace's address {@code local} (null: the kernel's choice). */
    static String body(String ns, String local, String address, int port, int timeoutMillis) {
        try {
            return NamespaceThreads.call(ns, () -> bodyHere(local, address, port, timeoutMillis));
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * The same from the calling thread's own network namespace (a thread of {@link
     * NamespaceThreads#factory} is in its lab node's), without a thread per request.
     */
    static String bodyHere(String local, String address, int port, int timeoutMillis) {
        try (Socket s = new Socket()) {
            if (local != null) {
                s.bind(new InetSocketAddress(local, 0));
            }
            s.connect(new InetSocketAddress(address, port), timeoutMillis);
            s.setSoTimeout(2000);
            return get(s);
        } catch (IOException e) {
            return null;
        }
    }

    /** GET / on {@code s}, connected (and its read timeout set) by the caller: the body, or null when there is none. */
    static String get(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        int body = response.indexOf("\r\n\r\n");
        return body < 0 ? null : response.substring(body + 4).strip();
    }
}
