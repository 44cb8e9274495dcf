package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One file per validation rule under {@code bad-config/}. Each file states, in lines
 * {@code # expect: LINE: message} (or {@code # expect: OTHER-FILE:LINE: message} for an included
 * file), exactly the problems {@code check} must report, in order, and nothing else; {@code {file}}
 * in a message stands for the file's own path, {@code {dir}} for the directory's.
 */
class BadConfigTest {

    static Path dir() throws URISyntaxException {
        return Path.of(BadConfigTest.class.getResource("/bad-config").toURI());
    }

    static Stream<Path> files() throws IOException, URISyntaxException {
        try (Stream<Path> s = Files.list(dir())) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
            return files.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void reportsExactlyTheExpectedProblems(Path file) throws IOException, URISyntaxException {
        Path dir = dir();
        List<String> expected = Files.readAllLines(file).stream()
                .filter(l -> l.startsWith("# expect: "))
                .map(l -> l.substring("# expect: ".length()))
                .map(l -> Character.isDigit(l.charAt(0)) ? file + ":" + l : dir.resolve(l).toString())
                .map(l -> l.replace("{file}", file.toString()).replace("{dir}", dir.toString()))
                .toList();
        assertFalse(expected.isEmpty(), file + " states no expected problem");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(expected, e.problems().stream().map(ConfigProblem::format).toList());
    }
}
