package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Boots the real-IPVS VM once (Debian's kernel under qemu, vagrant/ipvs-vm) and runs every
 * {@code ipvs-vm} tagged test inside it through {@code vm.VmSuite}, streaming its lines here.
 * {@code -Dvipkeeper.vm.tests=REGEX} runs the classes whose name matches ({@code -Dvipkeeper.vm.methods=REGEX}
 * the methods, on "pkg.Class#method"); {@code -Dvipkeeper.chaos.*}
 * properties are passed on. The vipkeeper JVMs in the VM start from a class-data archive recorded
 * on the host first ({@link VmClassArchive}; {@code -Dvipkeeper.vm.cds=false} runs without).
 */
class IpvsVmIT {
    @Test
    void ipvsTestsPassInTheRealIpvsKernel() throws Exception {
        Path repo = JarProcess.repo();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(repo.resolve("vagrant/ipvs-vm/run").toString(), "--timeout", "1500",
                "--", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Under TCG the C2 compiler costs more than it gains in a short run.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
                "-Dvipkeeper.jar=" + JarProcess.jar().toAbsolutePath(), "-Dvipkeeper.await.seconds=150",
                "-Dvipkeeper.conf.dir=" + repo.resolve("conf")));
        // -Dvipkeeper.vm.cds=false: without the archive (to compare).
        Path archive = Boolean.parseBoolean(System.getProperty("vipkeeper.vm.cds", "true")) ? VmClassArchive.record(repo) : null;
        if (archive != null) {
            cmd.add("-Dvipkeeper.cds.archive=" + archive);
        }
        // The IPVS fault lab's seed and length (IpvsChaosVmTest), as given to Maven.
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("vipkeeper.chaos.")).sorted()
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.addAll(List.of("-cp", classpath, "io.vipkeeper.appliance.vm.VmSuite"));
        String only = System.getProperty("vipkeeper.vm.tests", "");
        // -Dvipkeeper.vm.methods=REGEX on "pkg.Class#method" names: some steps of a class (a
        // step may need the ones before it).
        String methods = System.getProperty("vipkeeper.vm.methods", "");
        if (!only.isEmpty() || !methods.isEmpty()) {
            cmd.add(only.isEmpty() ? ".*" : only);
        }
        if (!methods.isEmpty()) {
            cmd.add(methods);
        }
        Shell.Result r = Shell.stream(cmd, null);
        assertTrue(r.output().contains("VM SUITE PASSED"), "the VM suite did not pass; output above");
        assertEquals(0, r.code(), "exit code of the VM run");
    }
}
