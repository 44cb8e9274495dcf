package io.vipkeeper.appliance.health;

import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.IpvsSettings;
import java.nio.file.Files;
import java.nio.file.Path;

/** IPVS settings for health tests, written as a config file and read like the daemon reads it. */
final class HealthConfigs {
    private static int files;

    private HealthConfigs() {
    }

    static IpvsSettings ipvs(Path dir, String hocon) throws Exception {
        Path p = dir.resolve("health-" + files++ + ".conf");
        Files.writeString(p, hocon);
        return ConfigLoader.load(p).ipvs();
    }
}
