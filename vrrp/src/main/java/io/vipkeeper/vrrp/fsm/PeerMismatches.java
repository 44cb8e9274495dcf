package io.vipkeeper.vrrp.fsm;

import io.vipkeeper.vrrp.protocol.VrrpVersion;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The senders whose adverts for our VRID show they are configured differently ({@link
 * MismatchReason}): a silent split brain unless someone is told. Written on the router's loop,
 * read from any thread.
 *
 * <p>A (sender, reason) pair is <em>active</em> while its last advert is younger than
 * {@value #WINDOW_MASTER_DOWN_INTERVALS} × Master_Down_Interval, counted with the slower of our
 * advert interval and the sender's: long enough that a peer advertising every interval never
 * drops out between two adverts, short enough to clear soon after it stops. {@link #record} says
 * when to log: the first advert of a pair, and the first after {@link #QUIET_NANOS} without one.
 * At most {@value #MAX_PAIRS} pairs are kept, so forged senders cannot grow it or flood the log;
 * a pair that has been quiet that long makes room for a new one.
 */
public final class PeerMismatches {
    /** A pair is logged again after this long without an advert. */
    public static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Master_Down_Intervals a pair stays active after its last advert. */
    public static final int WINDOW_MASTER_DOWN_INTERVALS = 3;
    /** Pairs kept per router. */
    static final int MAX_PAIRS = 16;

    private final Map<Key, Pair> pairs = new ConcurrentHashMap<>();

    private record Key(InetAddress peer, MismatchReason reason) {
    }

    /** One pair's state: written on the loop only, fields volatile for readers. */
    private static final class Pair {
        volatile String detail;
        volatile long count;
        volatile long lastSeenNanos;
        volatile long windowNanos;
    }

    /**
     * How long an advert keeps its pair active: {@value #WINDOW_MASTER_DOWN_INTERVALS} ×
     * Master_Down_Interval at the slower of our advert interval and the sender's (0 if unknown).
     */
    static long windowNanos(VrrpVersion version, int priority, int ourIntervalCentis, int senderIntervalCentis) {
        return WINDOW_MASTER_DOWN_INTERVALS * RouterTimers.masterDownNanos(version, priority,
                Math.max(ourIntervalCentis, senderIntervalCentis));
    }

    /**
     * Records an advert at {@code nowNanos}, active for {@code windowNanos}; returns what differs
     * when it is to be logged. {@code detail} is asked only then (it may have changed over a
     * quiet minute).
     */
    Optional<String> record(InetAddress peer, MismatchReason reason, long nowNanos, long windowNanos,
            Supplier<String> detail) {
        Key key = new Key(peer, reason);
        Pair p = pairs.get(key);
        if (p == null) {
            if (pairs.size() >= MAX_PAIRS && !evictQuiet(nowNanos)) {
                return Optional.empty();
            }
            p = new Pair();
            pairs.put(key, p);
        }
        boolean log = p.count == 0 || nowNanos - p.lastSeenNanos >= QUIET_NANOS;
        if (log) {
            p.detail = detail.get();
        }
        p.count++;
        p.lastSeenNanos = nowNanos;
        p.windowNanos = windowNanos;
        return log ? Optional.of(p.detail) : Optional.empty();
    }

    private boolean evictQuiet(long nowNanos) {
        return pairs.entrySet().stream()
                .filter(e -> nowNanos - e.getValue().lastSeenNanos >= QUIET_NANOS)
                .min(Comparator.comparingLong(e -> e.getValue().lastSeenNanos))
                .map(e -> pairs.remove(e.getKey()) != null)
                .orElse(false);
    }

    /** Every pair kept, active ones first, then by sender and reason. */
    List<PeerMismatch> snapshot(long nowNanos) {
        List<PeerMismatch> list = new ArrayList<>();
        pairs.forEach((k, p) -> {
            if (p.count == 0) {
                return; // being added on the loop right now
            }
            long last = p.lastSeenNanos;
            list.add(new PeerMismatch(k.peer(), k.reason(), p.detail, p.count, last,
                    nowNanos - last < p.windowNanos));
        });
        list.sort(Comparator.comparing((PeerMismatch m) -> !m.active())
                .thenComparing(m -> m.peer().getHostAddress()).thenComparing(PeerMismatch::reason));
        return list;
    }
}
