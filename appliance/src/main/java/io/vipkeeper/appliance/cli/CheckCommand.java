package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.config.ConfigCache;
import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.DataPlaneChoice;
import io.vipkeeper.appliance.config.DataPlaneResolver;
import io.vipkeeper.appliance.daemon.DataPlaneSelector;
import io.vipkeeper.appliance.config.InvalidConfigException;
import io.vipkeeper.appliance.config.Settings;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vipkeeper check}: validates the config without touching the network. */
@Command(name = "check", description = "Check the config file and report every problem with file:line.")
public final class CheckCommand implements Callable<Integer> {
    @Mixin
    ConfigFileOption options;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-plane", paramLabel = "ENGINE", description = "Check the virtual servers against this "
            + "engine (ipvs or nftables) instead of the one the file's data-plane comes to on this host.")
    String dataPlane;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<DataPlaneChoice> forced = Optional.empty();
        if (dataPlane != null) {
            forced = Arrays.stream(DataPlaneChoice.values()).filter(c -> c != DataPlaneChoice.AUTO
                    && c.configName().equals(dataPlane)).findFirst();
            if (forced.isEmpty()) {
                err.println("--data-plane: \"" + dataPlane + "\" is not ipvs or nftables");
                err.flush();
                return ExitCodes.USAGE;
            }
        }
        DataPlaneResolver engines = DataPlaneSelector.forCheck(forced);
        try {
            Settings settings = ConfigLoader.load(options.file(), ConfigCache.NONE, engines);
            settings.warnings().forEach(err::println);
            err.flush();
            out.println(settings.summary());
            if (!settings.ipvs().virtualServers().isEmpty()) {
                out.println("checked for data plane " + engines.describe(settings.dataPlane().choice()));
            }
            out.flush();
            return ExitCodes.OK;
        } catch (InvalidConfigException e) {
            return ConfigErrors.report(err, options.file(), e);
        }
    }
}
