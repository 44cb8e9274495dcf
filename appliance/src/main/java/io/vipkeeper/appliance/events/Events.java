package io.vipkeeper.appliance.events;

import io.vipkeeper.vrrp.fsm.Transition;

/** The events the daemon raises, each with its fields named once here. */
public final class Events {
    private Events() {
    }

    /** A VRRP instance's state change. */
    public static Event transition(Transition t) {
        return Event.of(EventType.VRRP, "instance", t.router(), "from", t.from().name(), "to", t.to().name(),
                "reason", t.reason().label(), "detail", t.detail(), "priority", t.priority());
    }

    /** A backend's health verdict changed. */
    public static Event health(String virtualServer, String backend, boolean up, String reason) {
        return Event.of(EventType.HEALTH, "virtualServer", virtualServer, "backend", backend, "state", up ? "up" : "down",
                "reason", reason);
    }

    /** An operator's backend order that was carried out ({@code changed} false when it already was so). */
    public static Event admin(String virtualServer, String backend, String order, String by, boolean changed,
            String before, String after, int weight) {
        return admin(virtualServer, backend, order, by, changed, before, after, weight, null);
    }

    /**
     * The same for {@code backend add|remove} too: {@code event} is {@code added} or {@code removed}
     * (null for a state order), and says what happened where before and after do not.
     */
    public static Event admin(String virtualServer, String backend, String order, String by, boolean changed,
            String before, String after, int weight, String event) {
        return Event.of(EventType.ADMIN, "virtualServer", virtualServer, "backend", backend, "order", order, "by", by,
                "changed", changed, "before", before, "after", after, "weight", weight, "event", event);
    }

    /**
     * An operator's VRRP maintenance order that was carried out ({@code changed} false when the
     * instances already were so); {@code members} says what became of each instance it applied to
     * (the whole sync group), e.g. "web: handed over to 198.18.0.2 after 62 ms, now BACKUP".
     */
    public static Event maintenance(String instance, String syncGroup, boolean on, String by, boolean changed,
            java.util.List<String> members) {
        return Event.of(EventType.ADMIN, "instance", instance, "syncGroup", syncGroup, "order",
                on ? "maintenance on" : "maintenance off", "by", by, "changed", changed, "members", members);
    }

    /** A reload's outcome, its summary in words. */
    public static Event reload(boolean ok, String summary) {
        return reload(ok, summary, java.util.List.of());
    }

    /** The same with a refused reload's problems, each as FILE:LINE (none when it succeeded). */
    public static Event reload(boolean ok, String summary, java.util.List<String> problems) {
        return Event.of(EventType.RELOAD, "ok", ok, "summary", summary, "problems", problems.isEmpty() ? null : problems);
    }

    /** The data plane cannot program the kernel ({@code problem}), or can again ({@code cleared}, with the old problem). */
    public static Event dataPlane(String engine, boolean cleared, String problem) {
        return Event.of(EventType.DATA_PLANE, "engine", engine, "state", cleared ? "cleared" : "problem", "problem", problem);
    }

    /** A bgp VIP put on the announce device or taken off it, and why. */
    public static Event bgp(String vip, boolean announced, String reason) {
        return Event.of(EventType.BGP, "vip", vip, "state", announced ? "announced" : "withdrawn", "reason", reason);
    }

    /** The daemon started or is stopping. */
    public static Event daemon(String node, String state, String version) {
        return Event.of(EventType.DAEMON, "node", node, "state", state, "version", version);
    }
}
