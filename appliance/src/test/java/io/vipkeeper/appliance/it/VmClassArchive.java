package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.vm.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The class-data archive the vipkeeper JVMs in the IPVS VM start from (JarProcess adds it when
 * {@code -Dvipkeeper.cds.archive} names it). The VM runs this host's JDK and jar (its root is the
 * host's, read-only over 9p), so an archive recorded here fits there, and under TCG loading and
 * verifying classes is most of each of the suite's many JVM starts. Recorded as the package's
 * launcher records the daemon's: a {@code check} of a config under the daemon's JVM options, at
 * host speed, once per jar (the JVM itself refuses an archive of another jar or JDK).
 */
final class VmClassArchive {
    private VmClassArchive() {
    }

    /** target/vm-run.jsa beside the jar, recorded now; null (the suite runs without) if that failed. */
    static Path record(Path repo) throws IOException, InterruptedException {
        Path jar = JarProcess.jar().toAbsolutePath();
        Path archive = jar.resolveSibling("vm-run.jsa");
        Path tmp = jar.resolveSibling("vm-run.jsa.tmp");
        Files.deleteIfExists(tmp);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(JarProcess.jvmOptions().stream().filter(o -> !o.startsWith("-XX:SharedArchiveFile=")).toList());
        cmd.addAll(List.of("-Xlog:disable", "-XX:ArchiveClassesAtExit=" + tmp, "-jar", jar.toString(),
                "check", "-f", repo.resolve("conf/vipkeeper.conf").toString()));
        long t0 = System.nanoTime();
        Shell.Result r = Shell.tryRun(cmd.toArray(String[]::new));
        if (r.code() != 0 || !Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
            System.out.println("no class-data archive for the VM's JVMs (check exited " + r.code() + "): " + r.output());
            Files.deleteIfExists(tmp);
            return null;
        }
        Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("class-data archive for the VM's JVMs: %s (%d KB, recorded in %.1f s)%n", archive,
                Files.size(archive) / 1024, (System.nanoTime() - t0) / 1e9);
        return archive;
    }
}
