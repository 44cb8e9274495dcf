package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.InvalidConfigException;
import io.vipkeeper.appliance.config.Settings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vipkeeper check}: validates the config without touching the network. */
@Command(name = "check", description = "Check the config file and report every problem with file:line.")
public final class CheckCommand implements Callable<Integer> {
    @Mixin
    ConfigFileOption options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Settings settings = ConfigLoader.load(options.file());
            settings.warnings().forEach(err::println);
            err.flush();
            out.println(settings.summary());
            out.flush();
            return ExitCodes.OK;
        } catch (InvalidConfigException e) {
            return ConfigErrors.report(err, options.file(), e);
        }
    }
}
