package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.InvalidConfigException;
import io.vipkeeper.appliance.config.RealServerModeSettings;
import io.vipkeeper.appliance.realserver.RealServerException;
import io.vipkeeper.appliance.realserver.RealServerMode;
import io.vipkeeper.appliance.realserver.RealServerStatus;
import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.SyscallException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkFormatException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vipkeeper realserver up|down|status}: the VIPs on lo and the ARP sysctls of a direct-routing backend. */
@Command(name = "realserver", description = "Set up (or undo) a direct-routing backend: the real-server"
        + " section's VIPs on lo, arp_ignore=1 and arp_announce=2 on all and its interface.")
public final class RealServerCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** The options of all three subcommands. */
    static final class Options {
        @Mixin
        ConfigFileOption config;

        @Option(names = "--state", paramLabel = "FILE", description = "Where up records the sysctls' previous"
                + " values for down (default: ${DEFAULT-VALUE}).")
        Path state = RealServerMode.defaultStateFile();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: up, down or status");
    }

    @Command(name = "up", description = "Add the VIPs to lo and set the ARP sysctls; prints each change.")
    int up(@Mixin Options options) {
        return run("up", options, true, mode -> print(mode.up(), ExitCodes.OK));
    }

    @Command(name = "down", description = "Remove the VIPs from lo and restore the sysctls recorded by up.")
    int down(@Mixin Options options) {
        return run("down", options, false, mode -> print(mode.down(), ExitCodes.OK));
    }

    @Command(name = "status", description = "Show the VIPs and sysctls; exit 0 when up, 3 when not.")
    int status(@Mixin Options options, @Option(names = "--json", description = "One JSON object.") boolean json) {
        return run("status", options, true, mode -> {
            RealServerStatus s = mode.status();
            int code = s.up() ? ExitCodes.OK : ExitCodes.NOT_UP;
            return print(json ? List.of(s.json()) : s.lines(), code);
        });
    }

    private int print(List<String> lines, int code) {
        PrintWriter out = spec.commandLine().getOut();
        lines.forEach(out::println);
        out.flush();
        return code;
    }

    private int run(String name, Options options, boolean needVips, Function<RealServerMode, Integer> action) {
        PrintWriter err = spec.commandLine().getErr();
        Path file = options.config.file();
        RealServerModeSettings settings;
        try {
            settings = ConfigLoader.load(file, options.config.node()).realServer();
        } catch (InvalidConfigException e) {
            return ConfigErrors.report(err, file, e);
        }
        if (needVips && settings.vips().isEmpty()) {
            err.println(file + ": vipkeeper.real-server.vips is empty: list the VIPs this backend serves");
            err.flush();
            return ExitCodes.INVALID_CONFIG;
        }
        try (NetlinkSocket route = NetlinkSocket.open(LinuxConstants.NETLINK_ROUTE, 0, 5000)) {
            return action.apply(new RealServerMode(settings, options.state, route));
        } catch (RealServerException | NetlinkException | NetlinkFormatException | SyscallException e) {
            return fail(err, name, e.getMessage());
        } catch (RuntimeException e) {
            // Not expected; still one line, since systemd's journal and scripts read stderr.
            return fail(err, name, e.toString());
        }
    }

    private static int fail(PrintWriter err, String name, String message) {
        err.println("vipkeeper realserver " + name + ": " + message);
        err.flush();
        return ExitCodes.FAILED;
    }
}
