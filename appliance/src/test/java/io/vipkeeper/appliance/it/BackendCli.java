package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.api.StatusSnapshot;
import java.nio.file.Files;
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
        try (JarProcess p = JarProcess.startInVia(lab.ns("director"), wrapper, dir, args(pidFile, args))) {
            int exit = p.waitFor();
            return new Cli(exit, p.out(), p.err());
        }
    }

    /** The command line of {@code vipkeeper backend ARGS --pid-file PID}. */
    static String[] args(Path pidFile, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "backend";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--pid-file";
        all[args.length + 2] = pidFile.toString();
        return all;
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

    /** Backend {@code address} of the first virtual server, as the director's status has it. */
    static StatusSnapshot.RealServerStatus realServer(LabApi api, int director, String address) throws Exception {
        return api.status("director", director).virtualServers().get(0).realServers().stream()
                .filter(r -> r.address().equals(address)).findFirst().orElseThrow();
    }
}
