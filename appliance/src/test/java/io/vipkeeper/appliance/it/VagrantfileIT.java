package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vagrant/Vagrantfile passes {@code vagrant validate} (Debian's vagrant with the vagrant-libvirt
 * plugin, so the libvirt settings are checked too; VirtualBox is not in Debian), and its
 * provisioning script parses. The configs it installs are the demo's, which DemoIT runs.
 */
class VagrantfileIT {
    @TempDir
    Path dotfiles;

    @Test
    void vagrantValidatesTheDemo() throws Exception {
        Path vagrant = JarProcess.repo().resolve("vagrant");
        ProcessBuilder pb = new ProcessBuilder("vagrant", "validate").directory(vagrant.toFile()).redirectErrorStream(true);
        // Its machine state goes to a temporary directory, not into the checkout.
        pb.environment().put("VAGRANT_DOTFILE_PATH", dotfiles.resolve("dot").toString());
        pb.environment().put("VAGRANT_HOME", dotfiles.resolve("home").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("Vagrantfile validated successfully."), out);
        Shell.run("bash", "-n", vagrant.resolve("provision").toString());
        assertTrue(Files.isExecutable(vagrant.resolve("provision")));
        for (String conf : new String[] {"lb.conf", "web.conf"}) {
            assertTrue(Files.exists(vagrant.resolve(conf)), conf);
        }
    }
}
