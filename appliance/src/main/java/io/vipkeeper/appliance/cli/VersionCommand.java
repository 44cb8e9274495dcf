package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vipkeeper version}. */
@Command(name = "version", description = "Print the version.")
public final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(Version.line());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
