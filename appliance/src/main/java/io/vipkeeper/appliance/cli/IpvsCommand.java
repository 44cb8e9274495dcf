package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.ipvs.genl.IpvsClient;
import java.util.Collection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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
    static final class List extends TableListCommand {
        @Override
        Table read() {
            IpvsClient opened;
            try {
                opened = IpvsClient.open();
            } catch (RuntimeException e) {
                // The operator trial ran this on a host whose daemon runs nftables: say where the table is.
                throw new IllegalStateException(e.getMessage() + "; on a kernel without IPVS the daemon runs the nftables"
                        + " data plane: vipkeeper nftables list", e);
            }
            try (IpvsClient ipvs = opened) {
                Collection<ActualService> table = ipvs.table().values();
                return new Table(ipvs.info().versionLine(), table);
            }
        }
    }
}
