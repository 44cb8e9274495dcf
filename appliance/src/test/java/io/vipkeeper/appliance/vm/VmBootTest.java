package io.vipkeeper.appliance.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vagrant/ipvs-vm/run and its boot helper (vagrant/ipvs-vm/boot) around a stand-in for qemu that
 * plays the VM on the host: it runs the command file from the share as the VM's init would, or
 * hangs, or stops without an exit code. What is checked is the helper's part: the command line,
 * streaming, exit codes, timeout, signals, and that neither qemu nor the temporary share survives.
 */
class VmBootTest {
    private static final Path RUN = Shell.repo().resolve("vagrant/ipvs-vm/run");

    @TempDir
    Path tmp;
    private Path record;

    @BeforeEach
    void fakeQemu() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        record = tmp.resolve("qemu");
        Path qemu = bin.resolve("qemu-system-x86_64");
        // The share is the path of the virtfs whose mount tag is "results".
        Files.writeString(qemu, String.join("\n", "#!/usr/bin/env bash",
                "echo $$ > " + record + ".pid",
                "printf '%s\\n' \"$@\" > " + record + ".args",
                "share=$(printf '%s\\n' \"$@\" | sed -n 's/^local,path=\\(.*\\),mount_tag=results,.*/\\1/p')",
                "echo 'vk-vm: running'",
                "case \"$FAKE_VM\" in",
                "hang) exec sleep 300 ;;",
                "noexit) echo 'Kernel panic - not syncing: fake'; exit 0 ;;",
                "esac",
                "sh \"$share/cmd.sh\" > \"$share/output\" 2>&1",
                "echo $? > \"$share/exit\"", ""));
        Files.setPosixFilePermissions(qemu, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(tmp.resolve("kernel"));
    }

    private ProcessBuilder run(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(RUN.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().put("VIPKEEPER_VM_KERNEL_DIR", tmp.resolve("kernel").toString());
        pb.environment().putAll(env);
        return pb;
    }

    private static Shell.Result finish(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        return new Shell.Result(p.exitValue(), out);
    }

    private Path share() throws IOException {
        return Path.of(Files.readAllLines(Path.of(record + ".args")).stream()
                .filter(a -> a.contains("mount_tag=results")).findFirst().orElseThrow()
                .replaceFirst("^local,path=(.*),mount_tag=results,.*", "$1"));
    }

    private boolean qemuAlive() throws IOException {
        return Files.exists(Path.of("/proc", Files.readString(Path.of(record + ".pid")).strip()));
    }

    @Test
    void theCommandRunsWithItsArgumentsAndItsExitCodeComesBack() throws Exception {
        Shell.Result r = finish(run(Map.of(), "--", "sh", "-c", "echo \"it's $1 in $(pwd)\"; exit 3", "x", "a b")
                .directory(tmp.toFile()).start());
        assertEquals(3, r.code(), r.output());
        assertTrue(r.output().contains("it's a b in " + tmp), r.output());
        List<String> args = Files.readAllLines(Path.of(record + ".args"));
        assertEquals("2048", args.get(args.indexOf("-m") + 1), "memory: " + args);
        assertFalse(Files.exists(share()), "the temporary share is left behind");
        assertFalse(qemuAlive());
    }

    @Test
    void memoryComesFromTheEnvironment() throws Exception {
        Shell.Result r = finish(run(Map.of("VIPKEEPER_VM_MEMORY", "1024"), "--", "true").start());
        assertEquals(0, r.code(), r.output());
        List<String> args = Files.readAllLines(Path.of(record + ".args"));
        assertEquals("1024", args.get(args.indexOf("-m") + 1), "memory: " + args);
    }

    @Test
    void aVmThatHangsIsKilledAtTheTimeoutWithItsConsoleShown() throws Exception {
        Shell.Result r = finish(run(Map.of("FAKE_VM", "hang"), "--timeout", "2", "--", "true").start());
        assertEquals(124, r.code(), r.output());
        assertTrue(r.output().contains("the VM did not finish within 2s; console:\nvk-vm: running"), r.output());
        assertFalse(qemuAlive(), "qemu outlived the timeout");
        assertFalse(Files.exists(share()));
    }

    @Test
    void aVmThatStopsWithoutAnExitCodeIs125() throws Exception {
        Shell.Result r = finish(run(Map.of("FAKE_VM", "noexit"), "--", "true").start());
        assertEquals(125, r.code(), r.output());
        assertTrue(r.output().contains("the VM stopped without running the command; console:"), r.output());
        assertTrue(r.output().contains("Kernel panic - not syncing: fake"), r.output());
    }

    @Test
    void sigtermStopsQemuAndRemovesTheShare() throws Exception {
        Process p = run(Map.of("FAKE_VM", "hang"), "--", "true").start();
        Path pid = Path.of(record + ".pid");
        for (int i = 0; i < 200 && !Files.exists(pid); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(pid), "qemu never started");
        Shell.run("kill", "-TERM", Long.toString(p.pid()));
        Shell.Result r = finish(p);
        assertEquals(130, r.code(), r.output());
        assertFalse(qemuAlive(), "qemu outlived a SIGTERM to run");
        assertFalse(Files.exists(share()));
    }
}
