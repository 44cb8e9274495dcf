package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.nftables.NftContext;
import io.vipkeeper.appliance.nftables.NftException;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * An nftlb daemon (Debian's package) for the comparison benchmark: started in a network namespace
 * on 127.0.0.1 with its own key, driven through its JSON REST API (one request at a time, from a
 * thread inside the namespace), and its table ({@code ip nftlb}) read through libnftables there to
 * see when a change is in place. Closing kills it; it leaves its table behind.
 */
final class Nftlb implements AutoCloseable {
    private static final int PORT = 5599;
    private static final String KEY = "vipkeeper-bench";
    /** Daemons still running; killed when the JVM stops (Ctrl-C, SIGTERM), else they keep their namespace alive. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "nftlb-kill"));
    }

    private final Process process;
    private final ExecutorService thread;
    private final NftContext nft;

    /** What one request took: the HTTP status, or -1 when no answer came within the cap. */
    record Answer(int status, String body, long nanos) {
        boolean finished() {
            return status >= 0;
        }
    }

    private Nftlb(Process process, ExecutorService thread, NftContext nft) {
        this.process = process;
        this.thread = thread;
        this.nft = nft;
    }

    /** Starts nftlb in {@code ns} (errors only to {@code log}) and waits until its API answers. */
    static Nftlb start(String ns, Path log) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "nftlb", "-H", "127.0.0.1", "-P", Integer.toString(PORT),
                "-k", KEY, "-L", "2", "-l", "3").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        RUNNING.add(p);
        ExecutorService thread = Executors.newSingleThreadExecutor(NamespaceThreads.factory(ns, "nftlb-api"));
        NftContext nft;
        try {
            nft = thread.submit(NftContext::new).get();
        } catch (Exception e) {
            p.destroyForcibly();
            RUNNING.remove(p);
            thread.shutdownNow();
            throw e;
        }
        Nftlb nftlb = new Nftlb(p, thread, nft);
        try {
            Lab.await(10, "nftlb answering on 127.0.0.1:" + PORT + " in " + ns, () -> {
                try {
                    return nftlb.request("GET", "/farms", "", Duration.ofSeconds(1)).status() == 200;
                } catch (Exception e) {
                    return !p.isAlive() && fail("nftlb exited with status " + p.exitValue() + ", see " + log);
                }
            });
        } catch (Exception | Error e) {
            nftlb.close();
            throw e;
        }
        return nftlb;
    }

    private static boolean fail(String why) {
        throw new IllegalStateException(why);
    }

    /** {@code POST /farms} with {@code json}, waiting at most {@code cap} for the answer. */
    Answer post(String json, Duration cap) throws Exception {
        return request("POST", "/farms", json, cap);
    }

    /** {@code PUT /farms} with {@code json} (nftlb's change of existing farms). */
    Answer put(String json, Duration cap) throws Exception {
        return request("PUT", "/farms", json, cap);
    }

    private Answer request(String method, String path, String body, Duration cap) throws Exception {
        return thread.submit(() -> send(method, path, body, cap)).get();
    }

    private static Answer send(String method, String path, String body, Duration cap) throws IOException {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nKey: " + KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length + "\r\nConnection: close\r\n\r\n";
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", PORT), 1000);
            s.setSoTimeout((int) cap.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            String answer = readAnswer(s.getInputStream());
            long t1 = System.nanoTime();
            int status = Integer.parseInt(answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4));
            return new Answer(status, answer.substring(answer.indexOf("\r\n\r\n") + 4), t1 - t0);
        } catch (SocketTimeoutException e) {
            return new Answer(-1, "no answer within " + cap.toSeconds() + " s", System.nanoTime() - t0);
        }
    }

    /** Reads the head and a Content-Length body (nftlb may keep the connection open). */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int end = -1;
        int length = 0;
        byte[] chunk = new byte[8192];
        while (true) {
            String text = buf.toString(StandardCharsets.UTF_8);
            if (end < 0 && (end = text.indexOf("\r\n\r\n")) >= 0) {
                String lower = text.substring(0, end + 2).toLowerCase(Locale.ROOT);
                int at = lower.indexOf("content-length:");
                length = at < 0 ? 0 : Integer.parseInt(lower.substring(at + 15, lower.indexOf('\r', at)).trim());
            }
            if (end >= 0 && buf.size() >= end + 4 + length) {
                return text;
            }
            int r = in.read(chunk);
            if (r < 0) {
                if (end < 0) {
                    throw new IOException("nftlb closed the connection without an answer: " + text);
                }
                return text;
            }
            buf.write(chunk, 0, r);
        }
    }

    /** When a change was seen in place, and how many looks at the table that took (1: at once). */
    record Seen(long nanoTime, int looks) {
    }

    /**
     * Polls nftlb's table with {@code done} (given a libnftables context in the namespace; a chain
     * or map still missing counts as not yet) every 2 ms; null after {@code cap}.
     */
    Seen awaitInPlace(Predicate<NftContext> done, Duration cap) throws Exception {
        long deadline = System.nanoTime() + cap.toNanos();
        return thread.submit(() -> {
            for (int looks = 1; System.nanoTime() < deadline; looks++) {
                try {
                    if (done.test(nft)) {
                        return new Seen(System.nanoTime(), looks);
                    }
                } catch (NftException notYet) {
                    // the chain or map is not there yet
                }
                Thread.sleep(2);
            }
            return null;
        }).get();
    }

    /** {@code nft list KIND ip nftlb NAME} through {@code nft} (inside {@link #awaitInPlace}). */
    static String list(NftContext nft, String kind, String name) {
        return nft.run("list " + kind + " ip nftlb " + name);
    }

    /** How many times {@code needle} occurs in {@code text}. */
    static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            n++;
        }
        return n;
    }

    @Override
    public void close() throws Exception {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor();
        RUNNING.remove(process);
        try {
            thread.submit(() -> {
                nft.close();
                return null;
            }).get();
        } finally {
            thread.shutdownNow();
        }
    }
}
