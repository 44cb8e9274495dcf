package io.vipkeeper.appliance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code vipkeeper run}'s own command line ({@link RunOnly}) says and accepts what the full one's run does. */
class RunOnlyTest {

    @Test
    void mainTakesTheRunOnlyCommandLineForRunAndTheFullOneOtherwise() {
        assertInstanceOf(RunOnly.class, Main.commandLineFor(new String[] {"run", "-f", "x.conf"}).getCommand());
        assertInstanceOf(Main.class, Main.commandLineFor(new String[] {"check", "run"}).getCommand());
        assertInstanceOf(Main.class, Main.commandLineFor(new String[0]).getCommand());
    }

    @Test
    void runsUsageIsTheSameAsUnderTheFullCommandLine() {
        assertEquals(usage(Main.commandLine()), usage(RunOnly.commandLine()));
    }

    @Test
    void versionUsageErrorsAndParsedOptionsAreTheSame() {
        for (List<String> args : List.of(List.of("run", "-V"), List.of("run", "--version"), List.of("run", "--bogus"),
                List.of("run", "-f"), List.of("run", "extra"), List.of("run", "--state-dir"))) {
            assertEquals(outcome(Main.commandLine(), args), outcome(RunOnly.commandLine(), args), args.toString());
        }
        String[] args = {"run", "-f", "a.conf", "--node", "lb2", "-vv", "--run-dir", "/tmp/r", "--state-dir", "/tmp/s"};
        assertEquals(parsed(Main.commandLine(), args), parsed(RunOnly.commandLine(), args));
    }

    private static String usage(CommandLine top) {
        return top.getSubcommands().get("run").getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static String outcome(CommandLine cl, List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args.toArray(String[]::new));
        return code + "\n" + out + "\n" + err;
    }

    private static String parsed(CommandLine cl, String[] args) {
        CommandLine.ParseResult r = cl.parseArgs(args).subcommand();
        RunCommand run = (RunCommand) r.commandSpec().userObject();
        return run.options.file() + " " + run.options.node() + " " + run.options.verbosity() + " " + run.daemon.files()
                + " " + run.stateDir;
    }
}
