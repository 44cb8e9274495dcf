package io.vipkeeper.appliance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every config file shipped in conf/ passes {@code vipkeeper check}. */
class ConfSamplesTest {

    static Path confDir() {
        return Path.of(System.getProperty("vipkeeper.conf.dir", "../conf"));
    }

    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(confDir())) {
            return s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
    }

    @Test
    void theExampleAndOneSamplePerFeatureAreThere() throws IOException {
        List<Path> files = files();
        assertTrue(files.contains(confDir().resolve("vipkeeper.conf")), "conf/vipkeeper.conf is missing");
        assertTrue(files.size() >= 15, "expected a sample per feature, found " + files);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void passesCheck(Path file) throws java.io.IOException {
        // The samples show IPVS features (dr, fwmark, sync daemon); nftables refuses some, by design.
        // A sample of what only nftables does says so, and is checked for nftables.
        String plane = java.nio.file.Files.readString(file).contains("data-plane = nftables") ? "nftables" : "ipvs";
        CliRun r = CliRun.of("check", "-f", file.toString(), "--data-plane", plane);
        // A checkout's files are world-readable; samples with an example password say so. The samples
        // are written for a director with eth0 and eth1 at 198.18.0.0/24, so the host running the
        // tests may lack their interfaces and addresses; nothing else may be warned about.
        assertTrue(r.err().lines().allMatch(l -> l.startsWith("warning: " + file
                + " is readable by other users and holds secrets (") || l.startsWith("warning: " + file + ":")
                && (l.contains(": this host has no interface ") || l.contains(" on this host (adverts cannot"))),
                r.err());
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith(file + ": OK: "), r.out());
    }
}
