package io.vipkeeper.appliance.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Which node's view of a config file to load: the one {@code --node} names, else this host's name.
 * A file with a {@code nodes} block is shared by the nodes of a pair; the choice picks the block
 * merged over the rest (see {@link Nodes}).
 *
 * @param given the name given on the command line; empty = the host name
 * @param hostName the host name; empty = the kernel's (tests give another)
 */
public record NodeChoice(Optional<String> given, Optional<String> hostName) {
    /** This host's name (no {@code --node}). */
    public static final NodeChoice HOST_NAME = new NodeChoice(Optional.empty(), Optional.empty());

    public NodeChoice {
        Objects.requireNonNull(given);
        Objects.requireNonNull(hostName);
    }

    /** The node named {@code name}, or this host's when {@code name} is null or blank. */
    public static NodeChoice of(String name) {
        return name == null || name.isBlank() ? HOST_NAME : new NodeChoice(Optional.of(name.strip()), Optional.empty());
    }

    /**
     * This choice with the host name read now when it depends on it: the daemon fixes its node at
     * start, so a reload after the host was renamed still reads the file as the same node (it read
     * the other node's block once; found by review).
     */
    public NodeChoice fixed() {
        return given.isPresent() || hostName.isPresent() ? this : new NodeChoice(given, Optional.of(SettingsReader.hostName()));
    }

    /** The node's name. */
    String name() {
        return given.orElseGet(() -> hostName.orElseGet(SettingsReader::hostName));
    }

    /** Where the name came from, for a message about a name that matches no node. */
    String source() {
        return given.isPresent() ? "named by --node" : "this host's name; choose another with --node NAME";
    }
}
