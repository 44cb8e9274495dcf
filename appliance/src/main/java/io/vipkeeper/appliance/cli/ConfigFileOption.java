package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.config.ConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code -f FILE} option shared by every command that reads the config. */
public final class ConfigFileOption {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "Config file (default: ${DEFAULT-VALUE}).")
    Path file = ConfigLoader.DEFAULT_PATH;

    @Option(names = {"-v", "--verbose"}, description = "More log output: -v debug, -vv trace.")
    boolean[] verbose = new boolean[0];

    Path file() {
        return file;
    }

    int verbosity() {
        return verbose.length;
    }
}
