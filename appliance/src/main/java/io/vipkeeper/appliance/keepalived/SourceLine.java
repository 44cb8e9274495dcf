package io.vipkeeper.appliance.keepalived;

/** One line of keepalived config after comments, {@code @id}, definitions and includes are applied. */
public record SourceLine(Origin origin, String text) {
}
