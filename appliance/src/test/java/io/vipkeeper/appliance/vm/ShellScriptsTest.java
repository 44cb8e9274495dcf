package io.vipkeeper.appliance.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every shell script of the repository (found by its #! line) parses with its own interpreter, and
 * a failing command inside a pipeline fails the script: bash and busybox scripts set pipefail;
 * /bin/sh scripts, run by dash, which has no pipefail (0.5.12, Debian 12), may contain no pipeline.
 */
class ShellScriptsTest {
    private static final Path REPO = Shell.repo();

    private static final Pattern PIPEFAIL = Pattern.compile("(?m)^set -[a-z]*o pipefail\\b|^set -o pipefail\\b");
    /** A pipe: a | that is not part of ||, on a line that is not a comment. */
    private static final Pattern PIPE = Pattern.compile("(?m)^(?!\\s*#)[^\\n]*[^|\\n]\\|[^|]");

    /** Script and interpreter: {@code bash}, {@code busybox sh} or {@code sh} (dash). */
    record Script(Path path, List<String> interpreter) {
    }

    static List<Script> scripts() throws IOException {
        List<Script> scripts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(REPO)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> !REPO.relativize(f).toString().matches("(.*/)?(target|\\.git|\\.vagrant|node_modules)/.*"))
                    .sorted().toList()) {
                String first = firstLine(f);
                if (first.startsWith("#!/bin/sh")) {
                    scripts.add(new Script(f, List.of("sh")));
                } else if (first.startsWith("#!/bin/busybox sh")) {
                    scripts.add(new Script(f, List.of("busybox", "sh")));
                } else if (first.matches("#!(/usr/bin/env |/bin/|/usr/bin/)bash\\b.*")) {
                    scripts.add(new Script(f, List.of("bash")));
                }
            }
        }
        return scripts;
    }

    private static String firstLine(Path f) throws IOException {
        try (var in = Files.newInputStream(f)) {
            String head = new String(in.readNBytes(64), java.nio.charset.StandardCharsets.ISO_8859_1);
            return head.lines().findFirst().orElse("");
        }
    }

    @Test
    void theScriptsAreFound() throws IOException {
        List<String> names = scripts().stream().map(s -> REPO.relativize(s.path()).toString()).toList();
        for (String known : List.of(".ci/run", "vagrant/demo", "vagrant/ipvs-vm/boot", "vagrant/ipvs-vm/init",
                "vagrant/debian-vm/run", "appliance/src/deb/control/postinst")) {
            assertTrue(names.contains(known), known + " not among " + names);
        }
    }

    @Test
    void everyScriptParsesWithItsInterpreter() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Script s : scripts()) {
            List<String> cmd = new ArrayList<>(s.interpreter());
            cmd.add("-n");
            cmd.add(s.path().toString());
            Shell.Result r = Shell.tryRun(cmd.toArray(String[]::new));
            if (r.code() != 0) {
                problems.add(REPO.relativize(s.path()) + ": " + r.output());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void aFailureInsideAPipelineFailsTheScript() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Script s : scripts()) {
            String text = Files.readString(s.path());
            if (s.interpreter().equals(List.of("sh"))) {
                if (PIPE.matcher(text).find()) {
                    problems.add(REPO.relativize(s.path()) + " pipes under dash, which has no pipefail: make it bash");
                }
            } else if (!PIPEFAIL.matcher(text).find()) {
                problems.add(REPO.relativize(s.path()) + " does not set -o pipefail");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void pipesAndPipefailAreRecognised() {
        assertTrue(PIPE.matcher("x=1\nfind . | cpio -o\n").find());
        assertFalse(PIPE.matcher("a || b\n# find | cpio\n").find());
        assertTrue(PIPEFAIL.matcher("#!/usr/bin/env bash\nset -euo pipefail\n").find());
        assertTrue(PIPEFAIL.matcher("set -o pipefail\n").find());
        assertFalse(PIPEFAIL.matcher("set -eu\n# set -o pipefail\n").find());
    }
}
