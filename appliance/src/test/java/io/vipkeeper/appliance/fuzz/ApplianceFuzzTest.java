package io.vipkeeper.appliance.fuzz;

import io.vipkeeper.appliance.config.ConfigFuzzTarget;
import io.vipkeeper.appliance.ipvs.IpvsFuzzTargets;
import io.vipkeeper.vrrp.fuzz.FuzzSlice;
import io.vipkeeper.vrrp.fuzz.FuzzTarget;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutated IPVS replies and config files give only their declared outcomes: a result or
 * NetlinkFormatException, Settings or InvalidConfigException with every problem at a FILE:LINE.
 * vagrant/lab/bench-fuzz runs the same targets a million times.
 */
class ApplianceFuzzTest {
    static Stream<Named<FuzzTarget>> ipvs() {
        return FuzzSlice.named(IpvsFuzzTargets.all());
    }

    static Path confDir() {
        return Path.of(System.getProperty("vipkeeper.conf.dir", "../conf"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipvs")
    void ipvsRepliesGiveOnlyDeclaredOutcomes(FuzzTarget target) {
        FuzzSlice.check(target, 10_000);
    }

    @Test
    void configFilesGiveSettingsOrProblemsAtFileAndLine(@TempDir Path work) {
        FuzzSlice.check(ConfigFuzzTarget.create(confDir(), work), 300);
    }
}
