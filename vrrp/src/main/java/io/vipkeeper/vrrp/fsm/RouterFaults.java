package io.vipkeeper.vrrp.fsm;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The active faults of one virtual router by source ("interface", "track-interface eth1",
 * "sync-group", ...): changed on the router's loop, read from any thread through an immutable
 * snapshot published after each change, with listeners (a sync group's) told of every change.
 */
final class RouterFaults {
    private final Map<String, String> faults = new TreeMap<>();
    private volatile Map<String, String> published = Map.of();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** Raises ({@code reason} non-null) or clears ({@code null}) one source's fault; whether that changed anything. */
    boolean set(String source, String reason) {
        String before = reason == null ? faults.remove(source) : faults.put(source, reason);
        if (Objects.equals(before, reason)) {
            return false;
        }
        published = Collections.unmodifiableMap(new TreeMap<>(faults));
        return true;
    }

    boolean isEmpty() {
        return faults.isEmpty();
    }

    /** Sorted by source; empty when healthy. */
    Map<String, String> snapshot() {
        return published;
    }

    /** {@code source: reason; source: reason}, for the transition's log line. */
    String summary() {
        StringBuilder sb = new StringBuilder();
        faults.forEach((source, reason) -> sb.append(sb.length() == 0 ? "" : "; ").append(source).append(": ")
                .append(reason));
        return sb.toString();
    }

    void addListener(Runnable listener) {
        listeners.add(listener);
    }

    void changed() {
        for (Runnable l : listeners) {
            l.run();
        }
    }
}
