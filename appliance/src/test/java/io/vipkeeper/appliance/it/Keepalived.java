package io.vipkeeper.appliance.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's keepalived as a VRRP peer in a lab node: its own config, pid files and log, so several
 * run at once. Killed (whole process tree) on close.
 */
final class Keepalived implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final Path conf;
    private final String name;

    private Keepalived(Process process, Path log, Path conf, String name) {
        this.process = process;
        this.log = log;
        this.conf = conf;
        this.name = name;
    }

    /**
     * One VRRP instance.
     *
     * @param version 2 or 3
     * @param advert keepalived's advert_int value ("1", "0.1")
     * @param extra more lines inside vrrp_instance (authentication, unicast_peer, nopreempt, ...)
     */
    static String instance(String name, int version, int vrid, int priority, String advert, String vip, String extra) {
        return """
                vrrp_instance %s {
                  state BACKUP
                  interface eth0
                  version %d
                  virtual_router_id %d
                  priority %d
                  advert_int %s
                  virtual_ipaddress {
                    %s
                  }
                  %s
                }
                """.formatted(name, version, vrid, priority, advert, vip, extra);
    }

    /** Starts keepalived (VRRP only, in the foreground, logging to a file) in namespace {@code ns}. */
    static Keepalived start(String ns, Path dir, String name, String instances) throws IOException {
        Path conf = dir.resolve(name + "-keepalived.conf");
        Files.writeString(conf, file(name, instances));
        Path log = dir.resolve(name + "-keepalived.log");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(JarProcess.nice());
        cmd.addAll(List.of("keepalived", "-n", "-l", "-D", "-G", "-P", "-f", conf.toString(), "-p",
                dir.resolve(name + ".pid").toString(), "-r", dir.resolve(name + "-vrrp.pid").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Keepalived(p, log, conf, name);
    }

    private static String file(String name, String instances) {
        return """
                global_defs {
                  router_id %s
                  vrrp_garp_master_delay 1
                  vrrp_garp_master_repeat 1
                }
                %s
                """.formatted(name, instances);
    }

    /** Writes new instances to its config file (a SIGHUP then reloads them). */
    void rewrite(String instances) throws IOException {
        Files.writeString(conf, file(name, instances));
    }

    /** The parent's pid (the process SIGHUP and SIGTERM go to). */
    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The parent's exit status; it must have exited. */
    int exitValue() {
        return process.exitValue();
    }

    /** The log file. */
    Path logFile() {
        return log;
    }

    /** The log so far. */
    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Waits until the log contains {@code text}. */
    void awaitLog(String text, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!log().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("keepalived did not log \"" + text + "\" within " + seconds + " s:\n" + log());
            }
            Thread.sleep(20);
        }
    }

    /** SIGTERM to the parent: keepalived stops its children, which send priority 0. */
    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
