package io.vipkeeper.appliance.events;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * An event as the line {@code vipkeeper events} prints:
 * {@code 12:00:01.123 web: BACKUP -> MASTER (master down)}, the time in the local zone of the reader.
 */
public final class EventWords {
    private final DateTimeFormatter clock;

    /** Lines with times in {@code zone}. */
    public EventWords(ZoneId zone) {
        this.clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(zone);
    }

    /** {@code e} in one line. */
    public String line(Event e) {
        return clock.format(e.time()) + " " + words(e);
    }

    private static String words(Event e) {
        return switch (e.type()) {
            case VRRP -> e.text("instance") + ": " + e.text("from") + " -> " + e.text("to") + " ("
                    + e.text("reason").replace('_', ' ') + (e.text("detail").isEmpty() ? "" : ": " + e.text("detail")) + ")";
            case HEALTH -> e.text("virtualServer") + " " + e.text("backend") + ": " + e.text("state")
                    + (e.text("reason").isEmpty() ? "" : " (" + e.text("reason") + ")");
            case ADMIN -> e.fields().containsKey("instance") ? maintenance(e)
                    : e.text("virtualServer") + " " + e.text("backend") + ": " + e.text("order") + " by " + e.text("by")
                            + ": " + admin(e);
            case RELOAD -> "reload " + (Boolean.TRUE.equals(e.fields().get("ok")) ? "succeeded" : "failed") + ": "
                    + e.text("summary") + (e.fields().get("problems") instanceof java.util.List<?> p && !p.isEmpty()
                            ? "; " + p.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("; ")) : "");
            case DATA_PLANE -> "data plane " + e.text("engine") + ": " + (e.text("state").equals("cleared")
                    ? "can program the kernel again (was: " + e.text("problem") + ")"
                    : "cannot program the kernel: " + e.text("problem"));
            case DAEMON -> "daemon " + e.text("node") + " " + e.text("state")
                    + (e.text("version").isEmpty() ? "" : " (" + e.text("version") + ")");
            case OVERFLOW -> "overflow: " + e.text("message");
            case BGP -> "bgp " + e.text("vip") + ": " + e.text("state") + " (" + e.text("reason") + ")";
        };
    }

    /** "web: maintenance on by uid 0 (root): web: handed over to 198.18.0.2 after 62 ms, now BACKUP". */
    private static String maintenance(Event e) {
        String what = Boolean.TRUE.equals(e.fields().get("changed")) && e.fields().get("members") instanceof java.util.List<?> m
                ? m.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("; "))
                : "already so";
        return e.text("instance") + ": " + e.text("order") + " by " + e.text("by") + ": " + what;
    }

    private static String admin(Event e) {
        if (e.text("event").equals("added")) {
            return "a runtime backend now, at weight " + e.text("weight");
        } else if (e.text("event").equals("removed")) {
            return "removed: draining at weight 0, deleted once its connections end";
        }
        return (Boolean.TRUE.equals(e.fields().get("changed")) ? e.text("before") + " -> " + e.text("after")
                : "already " + e.text("after")) + ", weight " + e.text("weight");
    }
}
