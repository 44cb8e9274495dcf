package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package `mvn package` builds: its control fields, its files, the launcher and both
 * units, unpacked with dpkg-deb. (Installing it on a booted Debian is DebInstallVmIT's.)
 */
class DebPackageIT {
    @TempDir
    static Path root;
    static Path deb;

    @BeforeAll
    static void unpack() throws IOException {
        deb = debFile();
        Shell.run("dpkg-deb", "-x", deb.toString(), root.toString());
    }

    /** target/vipkeeper_VERSION_all.deb beside the jar: exactly one. */
    static Path debFile() throws IOException {
        try (Stream<Path> files = Files.list(JarProcess.jar().getParent())) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().matches("vipkeeper_.+_all\\.deb")).toList();
            assertEquals(1, debs.size(), "packages beside the jar: " + debs);
            return debs.get(0);
        }
    }

    private static String field(String name) {
        return Shell.run("dpkg-deb", "-f", deb.toString(), name).strip();
    }

    @Test
    void controlFieldsNameTheRuntimeItNeeds() {
        assertEquals("vipkeeper", field("Package"));
        assertEquals("all", field("Architecture"));
        assertEquals("openjdk-17-jre-headless | java17-runtime-headless, nftables", field("Depends"));
        assertTrue(deb.getFileName().toString().equals("vipkeeper_" + field("Version") + "_all.deb"), deb.toString());
    }

    @Test
    void theConfigIsAConffileAndEverythingIsInPlace() throws IOException {
        Path control = Files.createTempDirectory(root.getParent(), "control");
        Shell.run("dpkg-deb", "-e", deb.toString(), control.toString());
        assertEquals("/etc/vipkeeper/vipkeeper.conf\n", Files.readString(control.resolve("conffiles")));
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertTrue(Files.isExecutable(control.resolve(script)), script);
            Shell.run("sh", "-n", control.resolve(script).toString());
        }
        String listing = Shell.run("dpkg-deb", "-c", deb.toString());
        for (String line : List.of("-rwxr-xr-x root/root .* ./usr/bin/vipkeeper",
                "-rw-r--r-- root/root .* ./usr/share/vipkeeper/vipkeeper.jar",
                "-rw-r--r-- root/root .* ./usr/share/vipkeeper/jvm-options",
                "-rw-r--r-- root/root .* ./usr/share/vipkeeper/bgp-tun.conf",
                // Configs hold VRRP passwords and HMAC keys: not for every user of the host.
                "-rw-r----- root/root .* ./etc/vipkeeper/vipkeeper.conf",
                "-rw-r--r-- root/root .* ./lib/systemd/system/vipkeeper.service",
                "-rw-r--r-- root/root .* ./lib/systemd/system/vipkeeper-realserver.service",
                "-rw-r--r-- root/root .* ./usr/share/doc/vipkeeper/examples/ipvs-dr.conf",
                "-rw-r--r-- root/root .* ./usr/share/doc/vipkeeper/reference.conf",
                "-rw-r--r-- root/root .* ./usr/share/man/man1/vipkeeper.1",
                "-rw-r--r-- root/root .* ./usr/share/man/man1/vipkeeper-realserver-up.1",
                "-rw-r--r-- root/root .* ./usr/share/bash-completion/completions/vipkeeper")) {
            assertTrue(listing.lines().anyMatch(l -> l.matches(line.replace(" .* ", "\\s.*\\s"))),
                    line + " not in:\n" + listing);
        }
        assertEquals(Files.readString(Path.of(System.getProperty("vipkeeper.conf.dir"), "vipkeeper.conf")),
                Files.readString(root.resolve("etc/vipkeeper/vipkeeper.conf")));
    }

    @Test
    void everyCommandHasAManPageThatRenders() throws IOException {
        Path man1 = root.resolve("usr/share/man/man1");
        for (String page : List.of("vipkeeper", "vipkeeper-run", "vipkeeper-check", "vipkeeper-reload", "vipkeeper-status",
                "vipkeeper-ipvs-list", "vipkeeper-nftables-list", "vipkeeper-realserver-up", "vipkeeper-help")) {
            Path file = man1.resolve(page + ".1");
            // man -l renders the troff file as `man vipkeeper` would; --warnings makes groff report bad markup.
            Shell.Result warnings = Shell.tryRun("sh", "-c", "man --warnings -l " + file + " >/dev/null");
            assertEquals(new Shell.Result(0, ""), warnings, page);
            Shell.Result text = Shell.tryRun(Map.of("MANWIDTH", "100", "MANPAGER", "cat"), "man", "-l", file.toString());
            assertEquals(0, text.code(), page + ": " + text.output());
            assertTrue(text.output().contains("SYNOPSIS") && text.output().contains(page.replace('-', ' ')), page + ":\n" + text.output());
        }
        String top = Shell.run("sh", "-c", "MANWIDTH=100 man -l " + man1.resolve("vipkeeper.1") + " | cat");
        for (String cmd : List.of("run", "check", "reload", "status", "nftables", "realserver", "help")) {
            assertTrue(top.contains("vipkeeper-" + cmd + "(1)") || top.lines().anyMatch(l -> l.strip().startsWith(cmd)), cmd + " not in:\n" + top);
        }
    }

    @Test
    void bashCompletionOffersTheSubcommands() {
        Path script = root.resolve("usr/share/bash-completion/completions/vipkeeper");
        String words = Shell.run("bash", "-c", "source " + script + "; COMP_WORDS=(vipkeeper ''); COMP_CWORD=1; COMP_LINE='vipkeeper '; COMP_POINT=10;"
                + " _complete_vipkeeper; printf '%s\\n' \"${COMPREPLY[@]}\"");
        for (String cmd : List.of("run", "check", "reload", "status", "ipvs", "nftables", "realserver", "version", "help")) {
            assertTrue(words.lines().anyMatch(cmd::equals), cmd + " not offered: " + words);
        }
        String sub = Shell.run("bash", "-c", "source " + script + "; COMP_WORDS=(vipkeeper realserver ''); COMP_CWORD=2; COMP_LINE='vipkeeper realserver ';"
                + " COMP_POINT=21; _complete_vipkeeper; printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertEquals(List.of("down", "status", "up"), sub.lines().sorted().toList(), sub);
    }

    @Test
    void theLauncherRunsTheJarWithTheJvmOptions() throws IOException {
        // Through a symbolic link, as /usr/bin/vipkeeper may be reached: the jar is found beside the script.
        Path link = Files.createSymbolicLink(root.getParent().resolve("vk-" + ProcessHandle.current().pid()),
                root.resolve("usr/bin/vipkeeper"));
        try {
            String conf = root.resolve("etc/vipkeeper/vipkeeper.conf").toString();
            // The example names eth0 and eth1: on a host without them check warns (and still exits 0).
            String checked = Shell.run(link.toString(), "check", "-f", conf).lines()
                    .filter(l -> !(l.startsWith("warning: ") && l.contains("this host has no interface")))
                    .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
            // The second line goes on to say so where this kernel has no IPVS.
            // The example is one file for both nodes: check reads it as each.
            assertTrue(checked.startsWith(conf + ": OK: node lb1: 1 VRRP instance, 1 virtual server, 2 real servers\n"
                    + conf + ": OK: node lb2: 1 VRRP instance, 1 virtual server, 2 real servers\n"
                    + "checked for data plane ipvs (data-plane = ipvs)"), checked);
            // The options reach the JVM: a JVM flag from jvm-options is visible to the launched java.
            String flags = Shell.run("env", "JAVA_TOOL_OPTIONS=-XX:+PrintCommandLineFlags", link.toString(), "version");
            assertTrue(flags.contains("-XX:MaxHeapSize=67108864") && flags.contains("-XX:TieredStopAtLevel=1"), flags);
            assertTrue(flags.contains("vipkeeper 0."), flags);
        } finally {
            Files.delete(link);
        }
    }

    @Test
    void commandsStartFromAClassDataArchiveTheFirstGoodStatusRecords() throws Exception {
        Path launcher = root.resolve("usr/bin/vipkeeper");
        Path cache = Files.createTempDirectory(root.getParent(), "cache");
        Path run = Files.createTempDirectory(root.getParent(), "run");
        Path conf = Files.writeString(run.resolve("c.conf"), "vipkeeper.allow-empty = true\nvipkeeper.api.listen = \"\"\n");
        Path pid = run.resolve("vipkeeper.pid");
        // In a network namespace of its own: an empty daemon still looks at the host's data plane.
        Process daemon = new ProcessBuilder("unshare", "--net", launcher.toString(), "run", "-f", conf.toString(),
                "--pid-file", pid.toString(), "--state-dir", run.resolve("state").toString())
                .redirectErrorStream(true).redirectOutput(run.resolve("daemon.log").toFile()).start();
        try {
            Path socket = run.resolve("control.sock");
            for (int i = 0; i < 300 && !Files.exists(socket); i++) {
                Thread.sleep(100);
            }
            Map<String, String> env = Map.of("VIPKEEPER_CACHE", cache.toString());
            // A status that fails loaded too little to be worth keeping.
            // A run directory with no daemon in it (the pid file's directory is this daemon's run directory).
            assertEquals(1, Shell.tryRun(env, launcher.toString(), "status", "--run-dir", run.resolve("none").toString()).code());
            assertEquals(List.of(), archives(cache));
            Shell.Result first = Shell.tryRun(env, launcher.toString(), "status", "--pid-file", pid.toString());
            assertEquals(0, first.code(), first.output());
            List<Path> made = archives(cache);
            assertEquals(1, made.size(), "archives: " + made);
            Map<String, String> flags = Map.of("VIPKEEPER_CACHE", cache.toString(), "JAVA_TOOL_OPTIONS", "-XX:+PrintCommandLineFlags");
            Shell.Result next = Shell.tryRun(flags, launcher.toString(), "status", "--pid-file", pid.toString());
            assertEquals(0, next.code(), next.output());
            assertTrue(next.output().contains("-XX:SharedArchiveFile=" + made.get(0)), next.output());
            assertTrue(next.output().contains("vipkeeper 0."), next.output());
            // A truncated archive (a crash or a full disk while it was written) made every command
            // fault in the JVM: one whose size is not the one in its name is not used, and the next
            // status records a whole one again.
            byte[] whole = Files.readAllBytes(made.get(0));
            Files.write(made.get(0), java.util.Arrays.copyOf(whole, 100_000));
            Shell.Result afterCut = Shell.tryRun(env, launcher.toString(), "status", "--pid-file", pid.toString());
            assertEquals(0, afterCut.code(), afterCut.output());
            assertTrue(afterCut.output().contains("vipkeeper 0."), afterCut.output());
            made = archives(cache);
            assertEquals(1, made.size(), "archives: " + made);
            String name = made.get(0).getFileName().toString();
            assertEquals(name.substring(name.lastIndexOf('-') + 1, name.length() - ".jsa".length()),
                    Long.toString(Files.size(made.get(0))), "a whole archive again, named by its size");
            // A new jar (its change time) makes the archive stale: the next status records a new one.
            Path jar = root.resolve("usr/share/vipkeeper/vipkeeper.jar");
            Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
            assertEquals(0, Shell.tryRun(env, launcher.toString(), "status", "--pid-file", pid.toString()).code());
            List<Path> renewed = archives(cache);
            assertEquals(1, renewed.size(), "archives: " + renewed);
            assertTrue(!renewed.equals(made), "the stale archive was replaced: " + renewed);
            // The daemon never runs from the commands' archive (its own is recorded by a check).
            Shell.Result daemonFlags = Shell.tryRun(flags, launcher.toString(), "run", "--help");
            assertEquals(0, daemonFlags.code(), daemonFlags.output());
            assertTrue(!daemonFlags.output().contains("SharedArchiveFile"), daemonFlags.output());
        } finally {
            daemon.destroy();
            daemon.waitFor();
        }
    }

    @Test
    void theDaemonStartsFromTheArchiveACheckRecordsAndNeverFromAStaleOrForeignOne() throws Exception {
        Path launcher = root.resolve("usr/bin/vipkeeper");
        Path cache = Files.createTempDirectory(root.getParent(), "cache");
        Path run = Files.createTempDirectory(root.getParent(), "run");
        Path conf = Files.writeString(run.resolve("c.conf"), "vipkeeper.allow-empty = true\nvipkeeper.api.listen = \"\"\n");
        // The unit's ExecStartPre check (systemd sets INVOCATION_ID) records nothing: it would delay the start.
        assertEquals(0, Shell.tryRun(Map.of("VIPKEEPER_CACHE", cache.toString(), "INVOCATION_ID", "0123"),
                launcher.toString(), "check", "-f", conf.toString()).code());
        assertEquals(List.of(), archives(cache));
        // A check elsewhere (postinst, an operator) that works records the daemon's archive; its
        // usage alone loads too little to count as one.
        Map<String, String> env = Map.of("VIPKEEPER_CACHE", cache.toString(), "INVOCATION_ID", "");
        assertEquals(0, Shell.tryRun(env, launcher.toString(), "check", "--help").code());
        assertEquals(List.of(), archives(cache));
        Shell.Result checked = Shell.tryRun(env, launcher.toString(), "check", "-f", conf.toString());
        assertEquals(0, checked.code(), checked.output());
        List<Path> made = archives(cache);
        assertEquals(1, made.size(), "archives: " + made);
        Path archive = made.get(0);
        assertTrue(archive.getFileName().toString().matches("run-\\d+-\\d+-" + Files.size(archive) + "\\.jsa"), archive.toString());
        // The daemon maps it: its classes come from the archive.
        ProcessBuilder daemon = new ProcessBuilder("unshare", "--net", launcher.toString(), "run", "-f", conf.toString(),
                "--run-dir", run.toString(), "--state-dir", run.resolve("state").toString())
                .redirectErrorStream(true).redirectOutput(run.resolve("daemon.log").toFile());
        daemon.environment().putAll(env);
        Process p = daemon.start();
        try {
            for (int i = 0; i < 300 && !Files.exists(run.resolve("control.sock")); i++) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(run.resolve("control.sock")), Files.readString(run.resolve("daemon.log")));
            String maps = Files.readString(Path.of("/proc", Long.toString(p.pid()), "maps"));
            assertTrue(maps.contains(archive.toString()), "the daemon did not map " + archive);
        } finally {
            p.destroy();
            p.waitFor();
        }
        Map<String, String> flags = Map.of("VIPKEEPER_CACHE", cache.toString(), "JAVA_TOOL_OPTIONS", "-XX:+PrintCommandLineFlags");
        assertTrue(usesArchive(launcher, flags, archive), "a valid archive is used");
        // An archive that its group or others may write could be someone else's code: not used.
        Shell.run("chmod", "g+w", archive.toString());
        assertTrue(!usesArchive(launcher, flags, archive), "a group-writable archive is not used");
        Shell.run("chmod", "g-w", archive.toString());
        Shell.run("chmod", "o+w", cache.toString());
        assertTrue(!usesArchive(launcher, flags, archive), "an archive in a cache others may write is not used");
        Shell.run("chmod", "o-w", cache.toString());
        // A truncated one (a crash while it was written): its size is not the one in its name.
        byte[] whole = Files.readAllBytes(archive);
        Files.write(archive, java.util.Arrays.copyOf(whole, 100_000));
        assertTrue(!usesArchive(launcher, flags, archive), "a truncated archive is not used");
        Files.write(archive, whole);
        assertTrue(usesArchive(launcher, flags, archive), "the whole archive again");
        // A new jar (an upgrade): the archive is stale and not used, and the next check replaces it.
        Path jar = root.resolve("usr/share/vipkeeper/vipkeeper.jar");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 7000));
        assertTrue(!usesArchive(launcher, flags, archive), "a stale archive is not used");
        assertEquals(0, Shell.tryRun(env, launcher.toString(), "check", "-f", conf.toString()).code());
        List<Path> renewed = archives(cache);
        assertEquals(1, renewed.size(), "archives: " + renewed);
        assertTrue(!renewed.equals(made), "the stale archive was replaced: " + renewed);
        assertTrue(usesArchive(launcher, flags, renewed.get(0)), "the new archive is used");
    }

    /** Whether {@code vipkeeper run --help} starts its JVM from {@code archive} (its flags say so). */
    private static boolean usesArchive(Path launcher, Map<String, String> flags, Path archive) {
        Shell.Result r = Shell.tryRun(flags, launcher.toString(), "run", "--help");
        assertEquals(0, r.code(), r.output());
        return r.output().contains("-XX:SharedArchiveFile=" + archive);
    }

    private static List<Path> archives(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            return files.sorted().toList();
        }
    }

    @Test
    void theLauncherMovesTheJvmsSuspendResumeSignalOffSigusr2() throws IOException {
        // A java that prints what the launcher gave it (JAVA_HOME picks it).
        Path home = root.getParent().resolve("java-" + ProcessHandle.current().pid());
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$_JAVA_SR_SIGNUM\"\n");
        java.toFile().setExecutable(true);
        try {
            String launcher = root.resolve("usr/bin/vipkeeper").toString();
            assertEquals("39\n", Shell.run("env", "-u", "_JAVA_SR_SIGNUM", "JAVA_HOME=" + home, launcher, "version"));
            assertEquals("40\n", Shell.run("env", "_JAVA_SR_SIGNUM=40", "JAVA_HOME=" + home, launcher, "version"),
                    "an operator's own choice stands");
        } finally {
            Files.delete(java);
            Files.delete(home.resolve("bin"));
            Files.delete(home);
        }
    }

    @Test
    void theDaemonsUnitConfinesItAsTheReadmeSays() throws IOException {
        List<String> unit = Files.readAllLines(root.resolve("lib/systemd/system/vipkeeper.service"));
        // SyscallFilterIT finds every call the daemon makes in this filter.
        for (String setting : List.of("SystemCallFilter=@system-service", "SystemCallErrorNumber=EPERM",
                "UMask=0077", "LimitNOFILE=65536", "RuntimeDirectory=vipkeeper", "RuntimeDirectoryPreserve=yes",
                "StateDirectory=vipkeeper", "StateDirectoryMode=0700", "ProtectSystem=strict")) {
            assertTrue(unit.contains(setting), setting + " not in vipkeeper.service");
        }
        String readme = Files.readString(JarProcess.repo().resolve("systemd/README.md"));
        for (String line : unit) {
            String key = line.contains("=") && !line.startsWith("#") ? line.substring(0, line.indexOf('=')) : "";
            if (!key.isEmpty() && !Set.of("Description", "Documentation").contains(key)) {
                assertTrue(readme.contains(key), "systemd/README.md does not explain " + key);
            }
        }
    }

    @Test
    void purgeRemovesStateAndRuntimeLeftoversRemoveKeepsThem() throws IOException {
        Path control = Files.createTempDirectory(root.getParent(), "control");
        Shell.run("dpkg-deb", "-e", deb.toString(), control.toString());
        // In a mount namespace of its own, over empty /run and /var/lib: the host's stay untouched.
        String out = Shell.run("unshare", "--mount", "--propagation", "private", "sh", "-ec", String.join("\n",
                "mount -t tmpfs lab /run",
                "mount -t tmpfs lab /var/lib",
                "mount -t tmpfs lab /var/cache",
                "mkdir /var/lib/vipkeeper /run/vipkeeper /var/cache/vipkeeper",
                "touch /var/lib/vipkeeper/state /run/vipkeeper/vipkeeper.pid /var/cache/vipkeeper/cli-1-2-3.jsa /var/cache/vipkeeper/run-1-2-3.jsa",
                control.resolve("postrm") + " remove",
                "echo after remove: $(ls /var/lib/vipkeeper) $(ls /run/vipkeeper) $(ls -A /var/cache)",
                control.resolve("postrm") + " purge",
                "echo after purge: $(ls -d /var/lib/vipkeeper /run/vipkeeper 2>/dev/null)", ""));
        // The launcher's class-data archives (the commands' and the daemon's) go with the jar they were made from.
        assertEquals("after remove: state vipkeeper.pid\nafter purge:\n", out.replace(" \n", "\n"));
    }

    @Test
    void bothUnitsPassSystemdAnalyzeVerify() throws IOException {
        // verify --root needs the rest of a system: the host's stock units and /bin/kill (ExecReload).
        Shell.run("cp", "-rn", "/lib/systemd/system/.", root.resolve("lib/systemd/system").toString());
        Files.createDirectories(root.resolve("bin"));
        Shell.run("cp", "-n", "/bin/kill", root.resolve("bin/kill").toString());
        Shell.Result r = Shell.tryRun("systemd-analyze", "verify", "--root=" + root,
                root.resolve("lib/systemd/system/vipkeeper.service").toString(),
                root.resolve("lib/systemd/system/vipkeeper-realserver.service").toString());
        // Unknown or misspelt settings are only warnings (exit 0): the output must be empty too.
        assertEquals(new Shell.Result(0, ""), r);
        // The bgp drop-in as systemd/README.md links it: the unit with it must verify as cleanly.
        Path dropIn = root.resolve("etc/systemd/system/vipkeeper.service.d");
        Files.createDirectories(dropIn);
        Files.copy(root.resolve("usr/share/vipkeeper/bgp-tun.conf"), dropIn.resolve("bgp-tun.conf"));
        assertEquals(new Shell.Result(0, ""), Shell.tryRun("systemd-analyze", "verify", "--root=" + root,
                root.resolve("lib/systemd/system/vipkeeper.service").toString()));
    }
}
