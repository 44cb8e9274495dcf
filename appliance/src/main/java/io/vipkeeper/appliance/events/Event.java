package io.vipkeeper.appliance.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing that happened in the daemon, as the stream carries it: its type, when (to the
 * millisecond, the one precision every event has) and its own fields in a fixed order.
 *
 * @param type what kind of event
 * @param time when, truncated to milliseconds
 * @param fields the event's own fields (strings, numbers, booleans), in the order they are written
 */
public record Event(EventType type, Instant time, Map<String, Object> fields) {
    public Event {
        time = time.truncatedTo(ChronoUnit.MILLIS);
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** An event of {@code type} now, with {@code keyValues} as alternating names and values (a null value is left out). */
    public static Event of(EventType type, Object... keyValues) {
        return at(type, Instant.now(), keyValues);
    }

    /** The same at {@code time} (tests). */
    static Event at(EventType type, Instant time, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate");
        }
        Map<String, Object> f = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                f.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return new Event(type, time, f);
    }

    /** A field as text; empty when absent. */
    public String text(String name) {
        Object v = fields.get(name);
        return v == null ? "" : v.toString();
    }
}
