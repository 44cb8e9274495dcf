package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.ipvs.IpvsJson;
import io.vipkeeper.appliance.ipvs.IpvsListing;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.ipvs.genl.IpvsClient;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vipkeeper ipvs list}: the kernel's IPVS table as vipkeeper reads it. */
@Command(name = "ipvs", description = "Read the kernel's IPVS table.", subcommands = IpvsCommand.List.class)
public final class IpvsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a command: list");
    }

    /** {@code vipkeeper ipvs list [--stats] [--json]}. */
    @Command(name = "list", description = "The kernel's IPVS table, laid out like `ipvsadm -Ln`.")
    static final class List implements Callable<Integer> {
        @Option(names = "--stats", description = "Traffic counters instead of weights and connections.")
        boolean stats;

        @Option(names = "--json", description = "JSON with every field and counter.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (IpvsClient ipvs = IpvsClient.open()) {
                Collection<ActualService> table = ipvs.table().values();
                String version = ipvs.info().versionLine();
                out.print(json ? IpvsJson.write(version, table) : IpvsListing.format(version, table, stats));
                out.flush();
                return ExitCodes.OK;
            } catch (RuntimeException e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("vipkeeper ipvs list: " + e.getMessage());
                err.flush();
                return ExitCodes.FAILED;
            }
        }
    }
}
