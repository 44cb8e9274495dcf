package io.vipkeeper.appliance.script;

import io.vipkeeper.appliance.config.Program;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Shell scripts as real files for the tests that run them, and waiting for what they do. */
public final class ScriptFixtures {
    private ScriptFixtures() {
    }

    /** {@code dir/name}: {@code #!/bin/sh} and {@code body}, mode 0755 (safe to run: root's, in root's dir). */
    public static Path script(Path dir, String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** {@code p} without arguments, as root, killed after {@code timeout}. */
    public static Program program(Path p, Duration timeout) {
        return new Program(List.of(p.toString()), Optional.empty(), timeout);
    }

    /** Waits up to 15 s for {@code c}. */
    public static void await(BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            Thread.sleep(20);
        }
    }
}
