package io.vipkeeper.appliance.events;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every published event to every subscriber, in one order for all of them, without ever
 * waiting for one: each subscriber has a queue of at most {@code limit} events it has not taken
 * yet, and one that falls further behind gets a last {@link EventType#OVERFLOW} event and is
 * unsubscribed (counted in {@link #overflows()}). So a reader that stopped reading costs the daemon
 * at most {@code limit} small events, and a publisher (the VRRP loop among them) never blocks on it.
 */
public final class EventBus {
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);
    /**
     * Events a subscriber may lag behind. A reader taking events as they come lags by one or two;
     * a reload of a large config or a flapping pool makes bursts of a few hundred at most.
     */
    public static final int DEFAULT_LIMIT = 1024;

    private final int limit;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong overflows = new AtomicLong();

    /** A bus on which a subscriber may lag {@code limit} events behind. */
    public EventBus(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        this.limit = limit;
    }

    /**
     * A new subscriber, which receives every event published from now on. {@code wakeup} runs on
     * the publisher's thread after each event is queued for it (and after the overflow event): it
     * must not block, only schedule a {@link Subscription#poll()} loop.
     */
    public Subscription subscribe(Runnable wakeup) {
        Subscription s = new Subscription(wakeup);
        subscriptions.add(s);
        return s;
    }

    /** Queues {@code e} for every subscriber; never blocks on one. */
    public void publish(Event e) {
        published.incrementAndGet();
        // One publisher at a time, so every subscriber sees the events in the same order.
        synchronized (this) {
            for (Subscription s : subscriptions) {
                s.offer(e);
            }
        }
    }

    /** Subscribers now. */
    public int subscribers() {
        return subscriptions.size();
    }

    /** Events published so far. */
    public long published() {
        return published.get();
    }

    /** Subscribers disconnected so far for falling too far behind. */
    public long overflows() {
        return overflows.get();
    }

    /** The events for one subscriber, in publishing order; close it when the reader goes. */
    public final class Subscription implements AutoCloseable {
        private final Runnable wakeup;
        private final ArrayDeque<Event> queue = new ArrayDeque<>();
        private boolean closed;
        private boolean overflowed;

        private Subscription(Runnable wakeup) {
            this.wakeup = wakeup;
        }

        private void offer(Event e) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (queue.size() >= limit) {
                    overflowed = true;
                    closed = true;
                    subscriptions.remove(this);
                    overflows.incrementAndGet();
                    log.warn("events: a subscriber fell more than {} events behind; disconnecting it", limit);
                    queue.add(Event.of(EventType.OVERFLOW, "limit", limit, "message", "fell more than " + limit
                            + " events behind and was disconnected; read the status and subscribe again"));
                } else {
                    queue.add(e);
                }
            }
            wakeup.run();
        }

        /** The next event, or null when there is none now. After an {@link EventType#OVERFLOW} there is none ever. */
        public synchronized Event poll() {
            return queue.poll();
        }

        /** Whether this subscriber was disconnected for falling behind. */
        public synchronized boolean overflowed() {
            return overflowed;
        }

        /** Stops receiving and drops what was queued; idempotent. */
        @Override
        public void close() {
            synchronized (this) {
                closed = true;
                queue.clear();
            }
            subscriptions.remove(this);
        }
    }
}
