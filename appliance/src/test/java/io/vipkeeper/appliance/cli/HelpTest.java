package io.vipkeeper.appliance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand answers -h, --help and {@code vipkeeper help CMD} with its usage and exit 0. */
class HelpTest {

    @Test
    void everyCommandAndSubcommandPrintsItsUsageForHelpFlags() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 13, "commands found: " + paths);
        for (List<String> path : paths) {
            for (String flag : List.of("-h", "--help")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                CliRun r = CliRun.of(args.toArray(String[]::new));
                String cmd = String.join(" ", args);
                assertEquals(0, r.exitCode(), cmd + ": " + r.err());
                assertTrue(r.out().contains("Usage: vipkeeper" + (path.isEmpty() ? "" : " " + String.join(" ", path)) + " "), cmd + ":\n" + r.out());
                assertEquals("", r.err(), cmd);
            }
        }
    }

    @Test
    void helpCommandPrintsTheUsageOfTheCommandItNames() {
        CliRun r = CliRun.of("help", "run");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("Usage: vipkeeper run"), r.out());
        CliRun top = CliRun.of("help");
        assertEquals(0, top.exitCode());
        assertTrue(top.out().contains("nftables") && top.out().contains("realserver"), top.out());
    }

    @Test
    void everyCommandsHelpAndManPageSayExitStatusAndFiles() {
        for (String cmd : List.of("check", "run", "status", "reload")) {
            String out = CliRun.of(cmd, "--help").out();
            assertTrue(out.contains("Exit status:\n") && out.contains("2   a usage error"), cmd + ":\n" + out);
            assertTrue(out.contains("Files:\n/etc/vipkeeper/vipkeeper.conf"), cmd + ":\n" + out);
        }
        assertTrue(CliRun.of("run", "--help").out().replaceAll("\\s+", " ").contains("USR1 and USR2 write the data and stats dumps"));
    }

    @Test
    void backendHelpListsAddAndRemoveAndAddTakesAWeight() {
        String backend = CliRun.of("backend", "-h").out();
        assertTrue(backend.contains("\n  add ") && backend.contains("\n  remove "), backend);
        String add = CliRun.of("backend", "add", "-h").out();
        assertTrue(add.startsWith("Usage: vipkeeper backend add [-hV]"), add);
        assertTrue(add.replaceAll("\\s+", " ").contains("[--weight=N] VS RS"), add);
        assertTrue(CliRun.of("backend", "remove", "--help").out().replaceAll("\\s+", " ").contains("edit the file and reload"));
    }

    @Test
    void helpForAnUnknownCommandIsAUsageError() {
        CliRun r = CliRun.of("help", "frobnicate");
        assertEquals(2, r.exitCode(), r.out());
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> into) {
        into.add(List.copyOf(path));
        cl.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().aliases().length > 0 && !name.equals(sub.getCommandName())) {
                return;
            }
            path.add(name);
            collect(sub, path, into);
            path.remove(path.size() - 1);
        });
    }
}
