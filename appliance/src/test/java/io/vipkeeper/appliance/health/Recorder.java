package io.vipkeeper.appliance.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vipkeeper.appliance.dataplane.BackendKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A listener that keeps every change with the time it came, for tests to wait on. */
final class Recorder implements HealthListener {
    /** One call of the listener. */
    record Change(String virtualServer, BackendKey realServer, boolean up, String reason, long nanos,
            RealServerHealth health) {
    }

    private final LinkedBlockingQueue<Change> queue = new LinkedBlockingQueue<>();
    private final List<Change> all = new ArrayList<>();
    private volatile HealthView view;

    /** Also keeps the real server's health as the view shows it during each call. */
    void watch(HealthView healthView) {
        view = healthView;
    }

    @Override
    public void changed(String virtualServer, BackendKey realServer, boolean up, String reason) {
        HealthView v = view;
        RealServerHealth h = v == null ? null : v.health().get(virtualServer).get(realServer);
        Change c = new Change(virtualServer, realServer, up, reason, System.nanoTime(), h);
        synchronized (all) {
            all.add(c);
        }
        queue.add(c);
    }

    /** The next change, within {@code seconds}; fails the test if none comes. */
    Change next(double seconds) throws InterruptedException {
        Change c = queue.poll((long) (seconds * 1000), TimeUnit.MILLISECONDS);
        assertNotNull(c, "no health change within " + seconds + "s");
        return c;
    }

    /** The next change, which must be {@code up} for {@code rs}. */
    Change next(double seconds, BackendKey rs, boolean up) throws InterruptedException {
        Change c = next(seconds);
        assertEquals(rs, c.realServer(), c.toString());
        assertEquals(up, c.up(), c.toString());
        return c;
    }

    /** Whether no change arrives within {@code seconds}. */
    boolean quietFor(double seconds) throws InterruptedException {
        return queue.poll((long) (seconds * 1000), TimeUnit.MILLISECONDS) == null;
    }

    List<Change> all() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }
}
