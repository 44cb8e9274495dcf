package io.vipkeeper.appliance.vrrp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One pass over /proc: the name and command line of every process (a process that ends while it
 * is read is left out). The root is a parameter so that tests can give a directory of their own.
 */
final class ProcScan {
    private final Path root;

    /** Scans {@code root} (/proc in the daemon). */
    ProcScan(Path root) {
        this.root = root;
    }

    /** Every process now; reads cmdline only when {@code commandLines}. */
    List<ProcessMatch.Seen> processes(boolean commandLines) {
        List<ProcessMatch.Seen> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, ProcScan::isPid)) {
            for (Path d : dirs) {
                try {
                    String comm = Files.readString(d.resolve("comm"), StandardCharsets.UTF_8).strip();
                    List<String> argv = commandLines ? argv(Files.readAllBytes(d.resolve("cmdline"))) : List.of();
                    out.add(new ProcessMatch.Seen(comm, argv));
                } catch (IOException e) {
                    // ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static boolean isPid(Path p) {
        String n = p.getFileName().toString();
        return !n.isEmpty() && n.chars().allMatch(Character::isDigit);
    }

    /** cmdline's NUL-separated (and NUL-ended) arguments. */
    static List<String> argv(byte[] cmdline) {
        if (cmdline.length == 0) {
            return List.of();
        }
        int end = cmdline[cmdline.length - 1] == 0 ? cmdline.length - 1 : cmdline.length;
        return Arrays.asList(new String(cmdline, 0, end, StandardCharsets.UTF_8).split("\0", -1));
    }
}
