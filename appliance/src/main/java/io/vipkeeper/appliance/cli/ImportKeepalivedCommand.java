package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.keepalived.ImportLimitException;
import io.vipkeeper.appliance.keepalived.KeepalivedImport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vipkeeper import-keepalived}: writes the vipkeeper config equivalent to a keepalived.conf. */
@Command(name = "import-keepalived", description = {
        "Read a keepalived.conf as keepalived 2.2-2.4 reads it and write the equivalent vipkeeper config.",
        "Every keyword not carried over is listed on stderr as FILE:LINE: keyword: what to do instead; secrets are "
                + "carried into the output and never printed on stderr.",
        "Exit status: 0 everything carried, 3 something left out, 1 the file is unreadable or expands past the "
                + "import's limits (one FILE:LINE line says which)."})
public final class ImportKeepalivedCommand implements Callable<Integer> {
    /** Exit status when some keyword was not carried over. */
    static final int LEFT_OUT = 3;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The keepalived.conf to import.")
    Path file;

    @Option(names = "--config-id", paramLabel = "ID", description = "keepalived's --config-id: selects the "
            + "@ID lines (default: none, so only @^ID lines apply; keepalived's default is the host name).")
    String configId;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write the config here (mode 0600, "
            + "it may hold passwords) instead of to stdout.")
    Path output;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        KeepalivedImport.Result result;
        try {
            result = KeepalivedImport.run(file, configId);
        } catch (ImportLimitException e) {
            err.println(e.getMessage());
            err.flush();
            return ExitCodes.FAILED;
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
            err.flush();
            return ExitCodes.FAILED;
        }
        result.notes().forEach(err::println);
        err.flush();
        try {
            if (output == null) {
                PrintWriter out = spec.commandLine().getOut();
                out.print(result.config());
                out.flush();
            } else {
                Files.deleteIfExists(output);
                Files.createFile(output, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
                Files.writeString(output, result.config(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            err.println(output + ": cannot write: " + e.getMessage());
            err.flush();
            return ExitCodes.FAILED;
        }
        return result.complete() ? ExitCodes.OK : LEFT_OUT;
    }
}
