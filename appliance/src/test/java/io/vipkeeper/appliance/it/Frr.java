package io.vipkeeper.appliance.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * One FRR instance (zebra, bgpd, bfdd) in a lab namespace, with a directory of its own for the
 * config, pid files, the zebra socket and the vty sockets, so several run on one host (the recipe
 * of the FRR-in-namespaces notes). {@link #close()} stops its daemons and deletes the directory;
 * {@link #kill()} ends them with SIGKILL, as a director that dies.
 */
final class Frr implements AutoCloseable {
    private static final List<String> DAEMONS = List.of("zebra", "bgpd", "bfdd");
    private final String ns;
    private final Path dir;
    private boolean stopped;

    private Frr(String ns, Path dir) {
        this.ns = ns;
        this.dir = dir;
    }

    /** Starts zebra, bgpd and bfdd in {@code ns} on {@code config} (frr.conf text); the lab stops them. */
    static Frr start(Lab lab, String ns, String config) throws Exception {
        // Under /tmp, not the test's directory: the frr user must reach it, and root's temp dirs are 0700.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "vk-frr-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("frr.conf"), config);
        Lab.sh("chown", "-R", "frr:frr", dir.toString());
        Frr frr = lab.own(new Frr(ns, dir));
        for (String d : DAEMONS) {
            Lab.sh("ip", "netns", "exec", ns, "/usr/lib/frr/" + d, "-d", "-N", dir.getFileName().toString(), "-z",
                    dir.resolve("zserv.api").toString(), "-i", dir.resolve(d + ".pid").toString(), "--vty_socket",
                    dir.toString(), "-f", dir.resolve("frr.conf").toString());
        }
        return frr;
    }

    /** What {@code vtysh -c command} prints in this instance. */
    String vtysh(String command) throws IOException, InterruptedException {
        return Lab.sh("ip", "netns", "exec", ns, "vtysh", "--vty_socket", dir.toString(), "-c", command);
    }

    /** Ends every daemon at once with SIGKILL (they send nothing, the sessions stay up on the peer's side). */
    void kill() throws Exception {
        signal("KILL");
    }

    /**
     * Sends signal {@code name} to every daemon still running, with one {@code kill} (each process
     * started costs a second or more in the TCG VM); returns how many it signalled.
     */
    private int signal(String name) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kill", "-s", name));
        for (String d : DAEMONS) {
            Path pid = dir.resolve(d + ".pid");
            if (Files.exists(pid)) {
                String p = Files.readString(pid).strip();
                Path cmdline = Path.of("/proc", p, "cmdline");
                // Only while the pid is still that daemon's: a pid left in a file may be reused.
                if (Files.exists(cmdline) && Files.readString(cmdline).contains(dir.toString())) {
                    cmd.add(p);
                }
            }
        }
        if (cmd.size() > 3) {
            new ProcessBuilder(cmd).start().waitFor();
        }
        stopped = true;
        return cmd.size() - 3;
    }

    @Override
    public void close() throws Exception {
        if (!stopped && signal("TERM") > 0) {
            Thread.sleep(200);
        }
        signal("KILL"); // whatever TERM left (nothing is started when none is left)
        Lab.sh("rm", "-rf", dir.toString());
    }
}
