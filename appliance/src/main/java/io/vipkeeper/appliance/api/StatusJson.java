package io.vipkeeper.appliance.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** {@link StatusSnapshot} as JSON: written by {@code GET /status}, read back by {@code vipkeeper status}. */
public final class StatusJson {
    /** Tolerates fields a newer daemon adds, so an older CLI still reads its status. */
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Every timestamp in the API's JSON: ISO-8601 UTC with milliseconds, always three digits. */
    private static final java.time.format.DateTimeFormatter TIMESTAMP =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private StatusJson() {
    }

    /** {@code at} as the JSON writes every timestamp ("2026-12-07T01:30:40.123Z"); null stays null. */
    public static String timestamp(java.time.Instant at) {
        return at == null ? null : TIMESTAMP.format(at);
    }

    /** The document, ending with a newline. */
    public static String write(StatusSnapshot s) {
        try {
            return MAPPER.writeValueAsString(s) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the status as JSON", e);
        }
    }

    /** Parses a document {@link #write} made. */
    public static StatusSnapshot read(String json) throws JsonProcessingException {
        return MAPPER.readValue(json, StatusSnapshot.class);
    }
}
