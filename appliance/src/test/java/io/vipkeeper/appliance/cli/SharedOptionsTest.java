package io.vipkeeper.appliance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.daemon.RunFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options several commands share mean the same on each: {@code -f} is the config file with one
 * default everywhere, and every command that names a daemon takes {@code --run-dir} and the older
 * {@code --pid-file} from the one mixin, which turns them into the same files.
 */
class SharedOptionsTest {

    /** Every command and subcommand, by its path ("backend drain"). */
    private static Map<String, CommandSpec> commands() {
        Map<String, CommandSpec> all = new TreeMap<>();
        collect(Main.commandLine(), "", all);
        return all;
    }

    private static void collect(CommandLine cl, String path, Map<String, CommandSpec> all) {
        all.put(path, cl.getCommandSpec());
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                collect(sub, path.isEmpty() ? name : path + " " + name, all);
            }
        });
    }

    @Test
    void dashFIsTheConfigFileWithOneDefaultOnEveryCommand() {
        List<String> withF = new ArrayList<>();
        commands().forEach((path, spec) -> {
            OptionSpec f = spec.findOption("-f");
            if (f != null) {
                withF.add(path);
                assertEquals(List.of("-f", "--file"), List.of(f.names()), path);
                assertEquals("FILE", f.paramLabel(), path);
                assertEquals("/etc/vipkeeper/vipkeeper.conf", f.defaultValueString(), path);
                assertEquals(Path.class, f.type(), path);
            }
        });
        assertTrue(withF.containsAll(List.of("check", "run", "status", "realserver up")), withF.toString());
    }

    @Test
    void everyCommandThatReadsTheConfigTakesTheNode() {
        commands().forEach((path, spec) -> {
            if (spec.findOption("-f") != null) {
                OptionSpec node = spec.findOption("--node");
                assertTrue(node != null, path + " reads the config but takes no --node");
                assertTrue(node.description()[0].contains("$" + ConfigFileOption.NODE_VARIABLE), path);
            }
        });
    }

    @Test
    void everyCommandThatNamesADaemonTakesTheRunDirectoryToo() {
        List<String> daemonCommands = new ArrayList<>();
        commands().forEach((path, spec) -> {
            if (spec.findOption("--pid-file") != null || spec.findOption("--run-dir") != null) {
                daemonCommands.add(path);
                assertTrue(spec.findOption("--pid-file") != null && spec.findOption("--run-dir") != null, path);
                assertEquals(spec.findOption("--run-dir").description()[0],
                        commands().get("run").findOption("--run-dir").description()[0], path);
            }
        });
        assertTrue(daemonCommands.containsAll(List.of("run", "reload", "status", "backend drain", "backend list")),
                daemonCommands.toString());
    }

    @Test
    void theRunDirectoryNamesEveryFileAndThePidFileStillOverrides() {
        DaemonOptions o = new DaemonOptions();
        assertEquals(RunFiles.DEFAULT, o.files());
        assertEquals(Path.of("/run/vipkeeper/control.sock"), o.files().socket());
        o.runDir = Path.of("/run/lb2");
        assertEquals(Path.of("/run/lb2/vipkeeper.pid"), o.files().pidFile());
        assertEquals(Path.of("/run/lb2/control.sock"), o.files().socket());
        assertEquals(Path.of("/run/lb2/vipkeeper.reload"), o.files().reloadResult());
        o.pidFile = Path.of("/var/run/other.pid");
        assertEquals(Path.of("/var/run/other.pid"), o.files().pidFile());
        assertEquals(Path.of("/run/lb2/control.sock"), o.files().socket(), "--run-dir says where the socket is");
        o.runDir = null;
        assertEquals(Path.of("/var/run/control.sock"), o.files().socket(), "alone, --pid-file's directory is the run dir");
        assertEquals(Path.of("/var/run/vipkeeper.data"), o.files().dataDump());
    }
}
