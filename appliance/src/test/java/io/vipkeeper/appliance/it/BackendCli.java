package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.api.StatusSnapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the runtime backend ITs share: {@code vipkeeper backend ...} run as a process against a
 * daemon's control socket, a client's requests to the VIP, one backend's status, a reload.
 */
final class BackendCli {
    private BackendCli() {
    }

    /** A finished CLI run. */
    record Cli(int exit, String out, String err) {
    }

    /** {@code vipkeeper backend ARGS --pid-file PID} in the director's namespace, through {@code wrapper}. */
    static Cli backend(Lab lab, Path dir, Path pidFile, List<String> wrapper, String... args) throws Exception {
        return finish(JarProcess.startInVia(lab.ns("director"), wrapper, dir, args(pidFile, args)));
    }

    /** Waits for {@code p} to end and closes it: its exit code and output. */
    static Cli finish(JarProcess p) throws Exception {
        try (p) {
            int exit = p.waitFor();
            return new Cli(exit, p.out(), p.err());
        }
    }

    /** The command line of {@code vipkeeper backend ARGS --pid-file PID}. */
    static String[] args(Path pidFile, String... args) {
        return command(args, "--pid-file", pidFile.toString());
    }

    /** The command line of {@code vipkeeper backend ARGS TAIL}: TAIL says which daemon, and how to reach it. */
    static String[] command(String[] args, String... tail) {
        String[] all = new String[args.length + tail.length + 1];
        all[0] = "backend";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(tail, 0, all, args.length + 1, tail.length);
        return all;
    }

    /**
     * {@code vipkeeper run} of {@code conf} in the director's namespace with {@code jvm} options, the
     * state in {@code dir}/state, once it has made its start changes and listens on its control socket
     * and its status API.
     */
    static JarProcess daemon(Lab lab, Path dir, Path conf, Path pidFile, List<String> jvm) throws Exception {
        JarProcess p = lab.own(JarProcess.startIn(lab.ns("director"), dir, jvm, "run", "-f", conf.toString(),
                "--pid-file", pidFile.toString(), "--state-dir", dir.resolve("state").toString()));
        p.awaitLog("change(s) at start");
        p.awaitLog("control socket on ");
        // The status API opens after the control socket: a step that asked it at once found nothing
        // listening on a loaded machine (and the steps after it failed in turn).
        p.awaitLog("status API on ");
        return p;
    }

    /** Which backend answered each of {@code requests} requests from the client to {@code vip}:80. */
    static Map<String, Integer> spread(Lab lab, String vip, int requests) throws Exception {
        Map<String, Integer> hits = new TreeMap<>();
        for (int i = 0; i < requests; i++) {
            String out = Lab.sh("ip", "netns", "exec", lab.ns("client"), "curl", "-sS", "--fail", "--max-time", "3",
                    "http://" + vip + "/");
            hits.merge(out.strip(), 1, Integer::sum);
        }
        return hits;
    }

    /**
     * Backend {@code address} of the first virtual server, as the director's status has it; a failed
     * request is an AssertionError, so awaited conditions can ask too.
     */
    static StatusSnapshot.RealServerStatus realServer(LabApi api, int director, String address) {
        try {
            return api.status("director", director).virtualServers().get(0).realServers().stream()
                    .filter(r -> r.address().equals(address)).findFirst().orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
