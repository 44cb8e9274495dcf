package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The command line of {@code vipkeeper run} alone: {@link Main} with {@code run} as its only
 * subcommand. picocli builds every subcommand's model before it parses anything (reflection over
 * each class, from picocli's classes, which the class-data archive cannot hold), and the daemon
 * reads its config only after that: at 100 x 100 the other twelve commands' models were about a
 * quarter of a second of the start's critical path. The attributes are Main's, which {@code run}
 * inherits (scope INHERIT); {@code RunOnlyTest} checks that {@code run}'s usage and version are
 * the same either way.
 */
@Command(name = "vipkeeper", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = Version.class,
        description = "High-availability appliance: VRRP owns the virtual IPs, IPVS or nftables balances the traffic.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:success", "1:the config has problems (each on stderr as FILE:LINE), or the command failed (one line says why)",
                "2:a usage error", "3:realserver status: not set up"},
        footerHeading = "%nFiles:%n",
        footer = {"/etc/vipkeeper/vipkeeper.conf: the config (every key with its default: /usr/share/doc/vipkeeper/reference.conf)",
                "/run/vipkeeper (--run-dir): vipkeeper.pid, control.sock, vipkeeper.reload, .data, .stats: the daemon's pid file,"
                        + " control socket, last reload, dumps",
                "/var/lib/vipkeeper: what outlives the daemon (the services it owns, runtime backend state, VRRP maintenance)",
                "/var/cache/vipkeeper: the launcher's class-data archive"},
        subcommands = RunCommand.class)
final class RunOnly implements Runnable {
    /** The command line for {@code args} whose first is {@code run}. */
    static CommandLine commandLine() {
        return new CommandLine(new RunOnly());
    }

    /** Never: the first argument is {@code run}, so picocli runs that. */
    @Override
    public void run() {
        throw new IllegalStateException("vipkeeper run's command line ran without run");
    }
}
