package io.vipkeeper.appliance.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link Event} as one line of JSON: {@code {"type":"vrrp","time":"2026-12-07T12:00:01.123Z",...}},
 * the time always ISO-8601 in UTC with three digits of milliseconds, then the event's own fields.
 */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Always three fraction digits, unlike Instant.toString (which drops ".000"). */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private EventJson() {
    }

    /** {@code e} as one line of JSON (no line breaks: strings escape theirs). */
    public static String write(Event e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", e.type().label());
        o.put("time", TIME.format(e.time()));
        e.fields().forEach((k, v) -> o.set(k, MAPPER.valueToTree(v)));
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write an event as JSON", ex);
        }
    }

    /**
     * The event {@code json} holds; empty when its type is one this version does not know (a newer
     * daemon's).
     *
     * @throws IllegalArgumentException when it is not an event's JSON
     */
    public static Optional<Event> read(String json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("not JSON: " + ex.getOriginalMessage());
        }
        if (n == null || !n.isObject() || !n.path("type").isTextual() || !n.path("time").isTextual()) {
            throw new IllegalArgumentException("not an event: " + json);
        }
        Instant time;
        try {
            time = Instant.parse(n.get("time").asText());
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("bad time in event: " + n.get("time").asText());
        }
        Optional<EventType> type = EventType.of(n.get("type").asText());
        if (type.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getKey().equals("type") && !f.getKey().equals("time")) {
                fields.put(f.getKey(), MAPPER.convertValue(f.getValue(), Object.class));
            }
        }
        return Optional.of(new Event(type.get(), time, fields));
    }
}
