package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package on a real system: a debootstrapped Debian 12 booted with systemd under Debian's
 * kernel in qemu (vagrant/debian-vm), where vagrant/debian-vm/package-test installs it with apt
 * and drives both units with systemctl, checking VIP, IPVS, nftables and capabilities.
 */
class DebInstallVmIT {
    static final Path REPO = JarProcess.repo();

    @TempDir
    Path share;

    @Test
    void aptInstallThenSystemctlStartReloadStopOnABootedDebian() throws Exception {
        copyPackage(share);
        Files.copy(REPO.resolve("vagrant/debian-vm/package-test"), share.resolve("test"), StandardCopyOption.COPY_ATTRIBUTES);
        String out = boot(List.of(), share);
        for (String step : List.of("Setting up vipkeeper", "StatusText=running 1 VRRP instance",
                "198.18.0.100 on eth1 (MASTER)", "CapEff 0000000000003000",
                "system call filter on, /var/lib/vipkeeper 700, pid file 600", "Masq    3", "vipkeeper reload: exit 1",
                ".conf:6: vipkeeper.ipvs.virtual-servers.web.schedular: unknown key", "VIP gone, nftables table gone",
                "up: VIP on lo", "purge: config, /var/lib/vipkeeper and /run/vipkeeper gone", "PACKAGE TEST PASSED")) {
            assertTrue(out.contains(step), "missing: " + step);
        }
    }

    /**
     * Two such VMs joined by a qemu socket network on 127.0.0.1 (nothing reaches the host's
     * network), each with the package and the demo's one config for both (vagrant/lb.conf, the
     * node named in /etc/default/vipkeeper):
     * vagrant/debian-vm/failover-test hands over by systemctl stop, preempts after start, and
     * after a SIGKILL comes back through Restart=on-failure and preempts again.
     */
    @Test
    void twoBootedDebiansFailOverBetweenEachOther() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (String lb : List.of("lb1", "lb2")) {
            Path dir = Files.createDirectory(share.resolve(lb));
            copyPackage(dir);
            Files.copy(REPO.resolve("vagrant/debian-vm/failover-test"), dir.resolve("test"),
                    StandardCopyOption.COPY_ATTRIBUTES);
            Files.copy(REPO.resolve("vagrant/lb.conf"), dir.resolve("lb.conf"));
            Files.writeString(dir.resolve("role"), lb + "\n");
            dirs.put(lb, dir);
        }
        // lb1's qemu listens, lb2's connects: lb1 first, and lb2 once the port is open.
        CompletableFuture<String> lb1 = CompletableFuture.supplyAsync(() -> {
            try {
                return boot(List.of("--net", "listen", Integer.toString(port)), dirs.get("lb1"));
            } catch (IOException | InterruptedException e) {
                throw new CompletionException(e);
            }
        });
        // Looked up, not probed: qemu takes the first connection as its peer.
        Lab.await(120, "lb1's qemu listening on " + port,
                () -> !Shell.tryRun("ss", "-Hltn", "sport = :" + port).output().isBlank());
        String out2 = boot(List.of("--net", "connect", Integer.toString(port)), dirs.get("lb2"));
        String out1 = lb1.get(15, TimeUnit.MINUTES);
        for (String step : List.of("lb1 is MASTER with 198.18.0.100, lb2 is BACKUP",
                "systemctl stop on lb1: lb2 MASTER", "systemctl start on lb1: MASTER again, lb2 BACKUP",
                "vipkeeper on lb1 killed (SIGKILL): lb2 MASTER", "Restart=on-failure brought lb1 back (1 restart)",
                "LB1 DONE")) {
            assertTrue(out1.contains(step), "lb1 missing: " + step);
        }
        assertTrue(out2.contains("MASTER -> BACKUP (higher_priority: priority 150 from 198.18.0.11)")
                && out2.contains("BACKUP -> MASTER (master_stopped)") && out2.contains("LB2 DONE"), out2);
    }

    /** The .deb into DIR/appliance/target, where the README's `apt-get install` finds it. */
    private static void copyPackage(Path dir) throws IOException {
        Path deb = DebPackageIT.debFile();
        Files.copy(deb, Files.createDirectories(dir.resolve("appliance/target")).resolve(deb.getFileName()));
    }

    /** vagrant/debian-vm/run [OPTIONS] DIR, its output streamed here; fails unless it exits 0. */
    static String boot(List<String> options, Path dir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(REPO.resolve("vagrant/debian-vm/run").toString()));
        cmd.addAll(options);
        cmd.add(dir.toString());
        Shell.Result r = Shell.stream(cmd, null);
        assertEquals(0, r.code(), "exit code of vagrant/debian-vm/run; output above");
        return r.output();
    }
}
