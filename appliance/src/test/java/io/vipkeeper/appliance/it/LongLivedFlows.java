package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Long-lived TCP connections from a lab client to the echo servers of {@link BgpLab}, each asked
 * for an echo now and then: which backend answers each one tells whether a flow kept its backend
 * when the director carrying it changed (BgpEcmpIT asserts it, BgpEcmpBench counts it).
 */
final class LongLivedFlows implements AutoCloseable {
    private final String ns;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<BufferedReader> readers = new ArrayList<>();

    LongLivedFlows(String ns) {
        this.ns = ns;
    }

    void open(String address, int port, int n) throws Exception {
        NamespaceThreads.call(ns, () -> {
            for (int i = 0; i < n; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(address, port), 2000);
                s.setSoTimeout(10_000);
                sockets.add(s);
                readers.add(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)));
            }
            return null;
        });
    }

    /** Which backend answers each connection (by index); fails when one does not answer. */
    Map<Integer, String> echo() {
        Map<Integer, String> owners = answers();
        for (int i = 0; i < sockets.size(); i++) {
            assertNotNull(owners.get(i), "connection " + i + " did not answer");
        }
        return owners;
    }

    /** Which backend answers each connection (by index); a connection that does not answer is missing. */
    Map<Integer, String> answers() {
        Map<Integer, String> owners = new TreeMap<>();
        for (int i = 0; i < sockets.size(); i++) {
            try {
                OutputStream out = sockets.get(i).getOutputStream();
                out.write(("ping " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String line = readers.get(i).readLine();
                if (line != null && line.endsWith(" ping " + i)) {
                    owners.put(i, line.substring(0, line.indexOf(' ')));
                }
            } catch (Exception e) {
                // Broken or timed out: this connection did not survive.
            }
        }
        return owners;
    }

    @Override
    public void close() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
    }
}
