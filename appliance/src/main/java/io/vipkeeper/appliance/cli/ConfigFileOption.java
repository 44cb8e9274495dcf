package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.NodeChoice;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code -f FILE} and {@code --node NAME} options shared by every command that reads the config. */
public final class ConfigFileOption {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "Config file (default: ${DEFAULT-VALUE}).")
    Path file = ConfigLoader.DEFAULT_PATH;

    /** The environment variable that names the node when --node does not (systemd's EnvironmentFile). */
    static final String NODE_VARIABLE = "VIPKEEPER_NODE";

    @Option(names = "--node", paramLabel = "NAME", defaultValue = "${env:" + NODE_VARIABLE + "}",
            description = "Which node of the file's nodes block this is (default: $" + NODE_VARIABLE
                    + ", else the host name); a name that matches no node is refused with the list of nodes.")
    String node;

    @Option(names = {"-v", "--verbose"}, description = "More log output: -v debug, -vv trace.")
    boolean[] verbose = new boolean[0];

    Path file() {
        return file;
    }

    /** The node as --node (or the environment) names it, else this host's name. */
    NodeChoice node() {
        return NodeChoice.of(node);
    }

    /** Whether a node was named (not left to the host name). */
    boolean nodeGiven() {
        return node != null && !node.isBlank();
    }

    int verbosity() {
        return verbose.length;
    }
}
