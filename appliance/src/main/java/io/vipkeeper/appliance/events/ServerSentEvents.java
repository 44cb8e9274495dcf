package io.vipkeeper.appliance.events;

import java.util.Optional;

/**
 * The server-sent events framing (WHATWG HTML, "Server-sent events"): an event is
 * {@code event: TYPE}, {@code data: JSON} and a blank line; a line starting with a colon is a
 * comment (the heartbeat). {@link #frame} writes what the daemon sends, {@link Reader} reads it
 * back a line at a time, as a client does.
 */
public final class ServerSentEvents {
    /** The media type of the stream. */
    public static final String MEDIA_TYPE = "text/event-stream";

    private ServerSentEvents() {
    }

    /** {@code e} framed: its type as the event name, its JSON as the one data line. */
    public static String frame(Event e) {
        return "event: " + e.type().label() + "\ndata: " + EventJson.write(e) + "\n\n";
    }

    /** A comment, which clients ignore (sent as a heartbeat, so that a dead reader is found by the write). */
    public static String comment(String text) {
        if (text.contains("\n") || text.contains("\r")) {
            throw new IllegalArgumentException("a comment is one line");
        }
        return ": " + text + "\n\n";
    }

    /**
     * One message as a client dispatches it.
     *
     * @param event the event name ("message" when the server named none)
     * @param data the data lines joined by line feeds
     */
    public record Message(String event, String data) {
    }

    /** Reads a stream line by line (without the line ends) and says when a message is complete. */
    public static final class Reader {
        private String event = "";
        private StringBuilder data;

        /** Takes one line; returns the message a blank line completes, else empty. */
        public Optional<Message> line(String line) {
            if (line.isEmpty()) {
                Optional<Message> m = data == null ? Optional.empty()
                        : Optional.of(new Message(event.isEmpty() ? "message" : event, data.toString()));
                event = "";
                data = null;
                return m;
            }
            if (line.startsWith(":")) {
                return Optional.empty();
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> event = value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
                default -> {
                    // id and retry mean nothing to a reader of this stream; unknown fields are ignored by the spec.
                }
            }
            return Optional.empty();
        }
    }
}
