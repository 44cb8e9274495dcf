package io.vipkeeper.appliance.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every command in the README's shell blocks is run, verbatim, by a test: the demo by DemoIT, the
 * test command by .ci/run, the operator guide's by the package test on a booted Debian. The first
 * two blocks are the demo and the test command, in that order.
 */
class ReadmeCommandsTest {
    private static final Path REPO = Shell.repo();
    /** The files that run README commands, and so must contain each of them. */
    private static final List<String> RUNNERS = List.of(".ci/run", "vagrant/demo",
            "appliance/src/test/java/io/vipkeeper/appliance/it/DemoIT.java", "vagrant/debian-vm/package-test",
            "appliance/src/test/java/io/vipkeeper/appliance/it/BgpEcmpDemoIT.java");

    /** The command lines of each ```sh block, comments stripped. */
    static List<List<String>> shellBlocks(String markdown) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : markdown.split("\n", -1)) {
            if (current == null && line.equals("```sh")) {
                current = new ArrayList<>();
            } else if (current != null && line.equals("```")) {
                blocks.add(current);
                current = null;
            } else if (current != null) {
                String command = line.replaceFirst("(^|\\s+)#.*$", "").strip();
                if (!command.isEmpty()) {
                    current.add(command);
                }
            }
        }
        return blocks;
    }

    @Test
    void theDemoAndTheTestCommandComeFirst() throws IOException {
        List<List<String>> blocks = shellBlocks(Files.readString(REPO.resolve("README.md")));
        assertEquals(List.of("vagrant/demo"), blocks.get(0));
        List<String> ci = Files.readAllLines(REPO.resolve(".ci/run"));
        assertEquals(List.of(ci.get(ci.size() - 1)), blocks.get(1), ".ci/run must run the README's test command");
    }

    @Test
    void everyCommandIsRunByATest() throws IOException {
        StringBuilder runners = new StringBuilder();
        for (String file : RUNNERS) {
            runners.append(Files.readString(REPO.resolve(file))).append('\n');
        }
        List<List<String>> blocks = shellBlocks(Files.readString(REPO.resolve("README.md")));
        assertTrue(blocks.size() >= 6, "shell blocks: " + blocks);
        for (List<String> block : blocks) {
            for (String command : block) {
                assertTrue(runners.indexOf(command) >= 0, "no test runs `" + command + "` (looked in " + RUNNERS + ")");
            }
        }
    }

    @Test
    void commentsAndBlankLinesAreNotCommands() {
        List<List<String>> blocks = shellBlocks("x\n```sh\na b   # say\n\n# only\n```\n```hocon\nc\n```\n");
        assertEquals(List.of(List.of("a b")), blocks);
        assertFalse(shellBlocks("```sh\nopen").iterator().hasNext());
    }
}
