package io.vipkeeper.appliance.events;

import java.util.Optional;

/**
 * The kinds of event on the stream; the label is the server-sent event's name and the JSON's
 * {@code type}. Append-only: clients switch on the labels.
 */
public enum EventType {
    /** A VRRP instance changed state. */
    VRRP("vrrp"),
    /** A backend's health check changed its verdict. */
    HEALTH("health"),
    /** An operator's runtime order for a backend (drain, disable, enable, weight). */
    ADMIN("admin"),
    /** A reload finished, well or not. */
    RELOAD("reload"),
    /** The data plane could not be programmed, or can again. */
    DATA_PLANE("dataplane"),
    /** The daemon started or is stopping. */
    DAEMON("daemon"),
    /** The last event a subscriber gets when it fell too far behind: it is disconnected after it. */
    OVERFLOW("overflow"),
    /** A bgp VIP was announced or withdrawn. */
    BGP("bgp");

    private final String label;

    EventType(String label) {
        this.label = label;
    }

    /** The name on the wire. */
    public String label() {
        return label;
    }

    /** The type labelled {@code label}; empty for one a newer daemon added. */
    public static Optional<EventType> of(String label) {
        for (EventType t : values()) {
            if (t.label.equals(label)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
