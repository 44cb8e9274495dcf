package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.vm.Shell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs appliance/target/vipkeeper.jar as a real process, the way operators and systemd do. */
final class JarProcess implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    /**
     * How long {@link #awaitLog} waits: 60 s, more in the TCG VM (-Dvipkeeper.await.seconds), where
     * a daemon's start runs its warm-up interpreted for most of a minute when the host is busy.
     */
    private static final long AWAIT_SECONDS = Long.getLong("vipkeeper.await.seconds", 60);

    private JarProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The checkout's root: the parent of {@code vipkeeper.conf.dir} (conf/), which Maven sets. */
    static Path repo() {
        return Shell.repo();
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("vipkeeper.jar", "target/vipkeeper.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn verify`, which builds it before the integration tests");
        }
        return jar;
    }

    /** Starts {@code java -jar vipkeeper.jar ARGS} with output to files in {@code dir}. */
    static JarProcess start(Path dir, String... args) throws IOException {
        return startIn(null, dir, args);
    }

    /** The same inside network namespace {@code netns} (null: this one), via {@code ip netns exec}. */
    static JarProcess startIn(String netns, Path dir, String... args) throws IOException {
        return startIn(netns, dir, List.of(), args);
    }

    /** The JVM options of systemd/jvm-options, as the launcher and the unit use them. */
    static List<String> jvmOptions() throws IOException {
        Path file = repo().resolve("systemd/jvm-options");
        List<String> options = new ArrayList<>(Files.readAllLines(file).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
        // A class-data archive (IpvsVmIT makes one on the host for the JVMs in the VM; the
        // benchmarks compare starts with and without): -Dvipkeeper.cds.archive=FILE.
        String archive = System.getProperty("vipkeeper.cds.archive", "");
        if (!archive.isEmpty()) {
            options.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off,cds+dynamic=off"));
        }
        String record = System.getProperty("vipkeeper.cds.record", "");
        if (!record.isEmpty()) {
            options.addAll(List.of("-XX:ArchiveClassesAtExit=" + record, "-Xlog:cds=off,cds+dynamic=off"));
        }
        return options;
    }

    /**
     * The environment of systemd/vipkeeper.service ({@code Environment=NAME=VALUE} lines, one
     * assignment each), so the tests run the JVM as the unit does: {@code _JAVA_SR_SIGNUM} moves
     * HotSpot's thread suspend/resume signal off SIGUSR2, which is the daemon's stats dump.
     */
    static Map<String, String> environment() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(repo().resolve("systemd/vipkeeper.service"))) {
            if (line.startsWith("Environment=")) {
                String assignment = line.substring("Environment=".length()).strip();
                int eq = assignment.indexOf('=');
                env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
            }
        }
        return env;
    }

    /**
     * Through the package's launcher (appliance/src/deb/bin/vipkeeper) as vipkeeper.service runs
     * it: VIPKEEPER_HOME is a directory with links to the jar and systemd/jvm-options, JAVA_HOME this JVM's.
     */
    static JarProcess startLauncherIn(String netns, Path dir, String... args) throws IOException {
        Path home = Files.createTempDirectory(dir, "home");
        Files.createSymbolicLink(home.resolve("vipkeeper.jar"), jar().toAbsolutePath());
        Files.createSymbolicLink(home.resolve("jvm-options"), repo().resolve("systemd/jvm-options").toAbsolutePath());
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns, "env", "VIPKEEPER_HOME=" + home,
                "JAVA_HOME=" + System.getProperty("java.home"), "sh",
                repo().resolve("appliance/src/deb/bin/vipkeeper").toString()));
        cmd.addAll(List.of(args));
        return spawn(cmd, dir, Map.of()); // the launcher sets the unit's environment itself
    }

    /** With extra JVM arguments (a load agent in the benchmark) after the standard ones. */
    static JarProcess startIn(String netns, Path dir, List<String> extraJvm, String... args) throws IOException {
        return launch(netns, List.of(), extraJvm, dir, args);
    }

    /**
     * Started through {@code wrapper} inside the namespace, such as setpriv to drop to nobody or
     * to the capabilities a systemd unit leaves.
     */
    static JarProcess startInVia(String netns, List<String> wrapper, Path dir, String... args) throws IOException {
        return launch(netns, wrapper, List.of(), dir, args);
    }

    private static JarProcess launch(String netns, List<String> wrapper, List<String> extraJvm, Path dir,
            String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.addAll(wrapper);
        cmd.addAll(nice());
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions());
        cmd.addAll(extraJvm);
        cmd.addAll(List.of("-jar", jar().toString()));
        cmd.addAll(List.of(args));
        if (args.length > 0 && args[0].equals("run") && !List.of(args).contains("--pid-file")
                && !List.of(args).contains("--run-dir")) {
            // Daemons of one test run share the host's /run: each gets its own run directory.
            cmd.addAll(List.of("--run-dir", Files.createTempDirectory(dir, "run").toString()));
        }
        if (args.length > 0 && args[0].equals("run") && !List.of(args).contains("--state-dir")) {
            cmd.addAll(List.of("--state-dir", Files.createTempDirectory(dir, "state").toString()));
        }
        return spawn(cmd, dir, environment());
    }

    /** Starts {@code cmd} with stdout and stderr in files under {@code dir}, not as a journald stream. */
    private static JarProcess spawn(List<String> cmd, Path dir, Map<String, String> env) throws IOException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("JOURNAL_STREAM");
        pb.environment().putAll(env);
        return new JarProcess(pb.start(), out, err);
    }

    /**
     * {@code nice -n N} that puts the process at the niceness the system property
     * {@code vipkeeper.nice} names (absolute, as the unit's Nice=; the benchmarks run both
     * products at vipkeeper.service's priority), else nothing.
     */
    static List<String> nice() {
        String nice = System.getProperty("vipkeeper.nice", "");
        if (nice.isEmpty()) {
            return List.of();
        }
        Autogroup.raiseTo(Integer.parseInt(nice));
        return niceTo(Integer.parseInt(nice));
    }

    /** {@code nice -n N} that runs a command at niceness {@code absolute}, whatever this JVM's own is. */
    static List<String> niceTo(int absolute) {
        return List.of("nice", "-n", Integer.toString(absolute - ownNiceness()));
    }

    /** This process's niceness. */
    private static int ownNiceness() {
        return niceness("self");
    }

    /** Process {@code pid}'s niceness ("self" for this one): field 19 of /proc/PID/stat (after the command name in parentheses). */
    static int niceness(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat", e);
        }
    }

    /** Runs to completion (at most a minute) and returns the exit code. */
    int waitFor() throws InterruptedException, IOException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("vipkeeper did not exit within 60 s; stderr:\n" + err());
        }
        return process.exitValue();
    }

    String out() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    String err() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** stderr, or why it cannot be read: for messages and conditions that cannot throw. */
    String log() {
        try {
            return err();
        } catch (IOException e) {
            return e.toString();
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status of a process that has exited. */
    int exitValueNow() {
        return process.exitValue();
    }

    /** Sends signal {@code name} (HUP, TERM, ...) with the shell's {@code kill -s}, as an operator or systemd would. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("sh", "-c", "kill -s " + name + " " + pid()).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -s " + name + " failed");
        }
    }

    /** Waits until stderr contains {@code text} (the process must stay alive meanwhile). */
    void awaitLog(String text) throws IOException, InterruptedException {
        awaitLog(text, 1);
    }

    /** Waits until stderr contains {@code text} at least {@code times} times. */
    void awaitLog(String text, int times) throws IOException, InterruptedException {
        await("stderr", stderr, text, times);
    }

    /** How often stderr holds {@code what} so far. */
    int logCount(String what) throws IOException {
        String err = err();
        return err.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    /** Writes {@code text} to {@code conf}, sends SIGHUP and waits for the daemon's next "reload succeeded". */
    void reload(Path conf, String text) throws IOException, InterruptedException {
        int before = logCount("reload succeeded");
        java.nio.file.Files.writeString(conf, text);
        signal("HUP");
        awaitLog("reload succeeded", before + 1);
    }

    /** Waits until stdout contains {@code text} (the process must stay alive meanwhile). */
    void awaitOut(String text) throws IOException, InterruptedException {
        await("stdout", stdout, text, 1);
    }

    private void await(String name, Path file, String text, int times) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            boolean alive = process.isAlive(); // read after: what a process wrote before exiting counts
            if (Files.readString(file, StandardCharsets.UTF_8).split(java.util.regex.Pattern.quote(text), -1).length
                    - 1 >= times) {
                return;
            }
            if (!alive) {
                throw new AssertionError("vipkeeper exited (" + process.exitValue() + ") before writing \"" + text
                        + "\" to " + name + "; stderr:\n" + err());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no \"" + text + "\" on " + name + " within " + AWAIT_SECONDS + " s; stderr:\n" + err()
                + "\nthreads (SIGQUIT):\n" + threadDump());
    }

    /** The JVM's thread dump (SIGQUIT prints it on stdout and the daemon runs on), for a failure message. */
    private String threadDump() {
        try {
            int before = out().length();
            signal("QUIT");
            Thread.sleep(1000);
            return out().substring(before);
        } catch (Exception | AssertionError e) {
            return "(none: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
