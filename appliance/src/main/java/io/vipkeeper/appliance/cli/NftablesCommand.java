package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vipkeeper nftables list}: the nftables engine's table as vipkeeper reads it. */
@Command(name = "nftables", description = "Read the nftables engine's table (" + NftablesDataPlane.TABLE + ").",
        subcommands = NftablesCommand.List.class)
public final class NftablesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a command: list");
    }

    /**
     * {@code vipkeeper nftables list [--stats] [--json]}: what {@link NftablesDataPlane#table()}
     * reads, in the network namespace the command runs in, without writing (a reader: no
     * threshold is judged here, a real server's overload is the table's). ActiveConn and InActConn
     * are each backend's established and other conntrack flows; its counters are per backend and
     * service.
     */
    @Command(name = "list", description = "The nftables engine's table, laid out like `ipvsadm -Ln`.")
    static final class List extends TableListCommand {
        @Override
        Table read() {
            try (NftablesDataPlane nft = NftablesDataPlane.reader()) {
                return new Table("nftables engine, table " + NftablesDataPlane.TABLE, nft.table().values());
            }
        }
    }
}
