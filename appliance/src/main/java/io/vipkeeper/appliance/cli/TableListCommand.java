package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.ipvs.IpvsJson;
import io.vipkeeper.appliance.ipvs.IpvsListing;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A {@code list} subcommand of an engine ({@code ipvs list}, {@code nftables list}): the engine's
 * table as vipkeeper reads it, laid out like {@code ipvsadm -Ln} whatever the engine, so operators
 * read every engine alike.
 */
abstract class TableListCommand implements Callable<Integer> {
    @Option(names = "--stats", description = "Traffic counters instead of weights and connections.")
    boolean stats;

    @Option(names = "--json", description = "JSON with every field and counter.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** A table as read: its first line and its services. */
    record Table(String title, Collection<ActualService> services) {
    }

    /** Reads the engine's table from the kernel. */
    abstract Table read();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            Table table = read();
            out.print(json ? IpvsJson.write(table.title(), table.services())
                    : IpvsListing.format(table.title(), table.services(), stats));
            out.flush();
            return ExitCodes.OK;
        } catch (RuntimeException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("vipkeeper " + spec.parent().name() + " list: " + e.getMessage());
            err.flush();
            return ExitCodes.FAILED;
        }
    }
}
