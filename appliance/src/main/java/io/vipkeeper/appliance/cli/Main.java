package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.Version;
import io.vipkeeper.appliance.config.LogLevel;
import io.vipkeeper.appliance.logging.Logging;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of {@code vipkeeper.jar}: dispatches to the subcommands. {@code -h/--help} and
 * {@code -V/--version} are inherited by every command and subcommand, and {@code vipkeeper help
 * [CMD]} prints any command's usage, so no command answers a request for help with an error.
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
        subcommands = {RunCommand.class, CheckCommand.class, ReloadCommand.class, StatusCommand.class, BackendCommand.class,
                VrrpCommand.class,
                EventsCommand.class,
                IpvsCommand.class, NftablesCommand.class, RealServerCommand.class, VersionCommand.class,
                ImportKeepalivedCommand.class,
                HelpCommand.class})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        int quick = QuickStatus.run(args, System.out);
        if (quick != QuickStatus.NOT_TAKEN) {
            System.exit(quick);
        }
        Logging.configure(LogLevel.WARN, 0);
        System.exit(commandLineFor(args).execute(args));
    }

    /** The command line that runs {@code args}: for {@code run}, one that knows only run ({@link RunOnly}). */
    static CommandLine commandLineFor(String[] args) {
        return args.length > 0 && args[0].equals("run") ? RunOnly.commandLine() : commandLine();
    }

    /** The command line (usage errors exit 2); tests run commands through this. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing a command: run, check, reload, status, backend, ipvs, nftables, realserver, version or help");
    }
}
