package io.vipkeeper.appliance.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Issue 19's lab story on one data plane, told step by step with timings (vagrant/lab/ecmp-demo
 * prints it, BgpEcmpVmTest runs it on IPVS in the VM): three directors announce the VIP and the
 * router spreads new connections over all of them and over the backends; long-lived connections
 * open; one director's vipkeeper is SIGKILLed while its FRR lives and the router withdraws it; the
 * long-lived connections answer from the same backend through the other directors; it returns,
 * is announced again and carries some of them again, none broken; a backend fails its health
 * check and returns while every director, asked for the same flows, picks the same backend.
 * A step that does not happen throws {@link StepFailed} (with the router's and daemons' view).
 * No JUnit here: the demo runs it from the test classes without the test libraries.
 */
final class BgpEcmpStory implements AutoCloseable {
    /** How many flows {@link DirectorChoices} asks each director for. */
    private static final int CHOICE_FLOWS = 24;

    /** A step that did not happen. */
    static final class StepFailed extends RuntimeException {
        StepFailed(String message) {
            super(message);
        }
    }

    /**
     * The lab's data plane, /24 and VIP, the number of long-lived connections, and whether it runs
     * in the TCG VM (slower BGP timers and health checks, longer waits, fewer probes).
     */
    record Options(String dataPlane, String subnet, String vip, int connections, boolean slow) {
    }

    /** What the story measured. */
    record Figures(long announcedMs, Map<String, Long> spreadPackets, Map<String, Integer> spreadBackends,
            long withdrawnMs, int connections, int keptOnLoss, int keptOnReturn, long reannouncedMs,
            long returnedPackets, long backendDownMs, long backendUpMs) {
    }

    private final Options options;
    private final Path dir;
    private final BgpLab lab;
    private final BgpDirectorConfig config;
    private final Consumer<String> out;
    private final long t0 = System.nanoTime();
    private final Map<Integer, JarProcess> daemons = new HashMap<>();
    private DirectorChoices choiceProbe;

    private BgpEcmpStory(Options options, Path dir, BgpLab lab, Consumer<String> out) {
        this.options = options;
        this.dir = dir;
        this.lab = lab;
        this.out = out;
        this.config = options.slow()
                ? new BgpDirectorConfig(options.dataPlane(), options.subnet(), options.vip(), BgpDirectorConfig.SLOW_CHECKS, "500ms")
                : BgpDirectorConfig.fast(options.dataPlane(), options.subnet(), options.vip());
    }

    /** Builds the lab (no BFD; BGP timers 1 3 here, 3 9 in the VM) and says so. */
    static BgpEcmpStory create(Path dir, Options options, Consumer<String> out) throws Exception {
        BgpLab lab = options.slow() ? BgpLab.create(dir, options.subnet(), options.vip(), 3, List.of(), 3, 3, 9)
                : BgpLab.create(dir, options.subnet(), options.vip(), 3, List.of(), 3);
        BgpEcmpStory story = new BgpEcmpStory(options, dir, lab, out);
        String s = options.subnet();
        story.say("lab (" + options.dataPlane() + ", forwarding = dr, scheduler = mh): router " + s + ".1 (FRR, AS 65000, ECMP"
                + " with an L4 hash), directors d1-d3 " + s + ".21-.23 (FRR + vipkeeper each, BGP timers "
                + (options.slow() ? "3 9" : "1 3") + ", no BFD), backends web1-web3 " + s + ".11-.13, client " + s + ".50; VIP "
                + options.vip() + " ports 80 and " + BgpLab.ECHO_PORT + " (echo)");
        return story;
    }

    BgpLab lab() {
        return lab;
    }

    Figures run() throws Exception {
        for (int d = 1; d <= 3; d++) {
            start(d);
        }
        long announcedMs = awaitHops(Set.of(1, 2, 3), options.slow() ? 600 : 120, "all three directors announcing the VIP");
        say("router's nexthops for " + options.vip() + ": " + hops() + ", all three " + announcedMs
                + " ms after the daemons were started (mostly the JVMs' start)");

        // Spread: new connections over every director and backend.
        int gets = options.slow() ? 30 : 60;
        Map<String, Long> before = lab.packetsByDirector();
        Map<String, Integer> backends = new TreeMap<>();
        for (int i = 0; i < gets; i++) {
            backends.merge(String.valueOf(HttpGet.body(lab.lab().ns("client"), options.vip(), 80, 3000)), 1, Integer::sum);
        }
        Map<String, Long> spread = delta(before, lab.packetsByDirector());
        say("client -> " + options.vip() + ":80, " + gets + " new connections: answers " + backends + "; packets by director " + spread);
        require(backends.keySet().equals(Set.of("web1", "web2", "web3")), "answers from all three backends, got " + backends);
        spread.forEach((d, n) -> require(n > 0, d + " receiving some of the connections: " + spread));

        try (LongLivedFlows flows = new LongLivedFlows(lab.lab().ns("client"))) {
            int n = options.connections();
            flows.open(options.vip(), BgpLab.ECHO_PORT, n);
            before = lab.packetsByDirector();
            Map<Integer, String> owners = flows.answers();
            Map<String, Long> carried = delta(before, lab.packetsByDirector());
            require(owners.size() == n, "an echo on each of the " + n + " long-lived connections, got " + owners.size());
            say(n + " long-lived connections to " + options.vip() + ":" + BgpLab.ECHO_PORT + " open, by backend "
                    + count(owners) + "; one echo each reached the directors as packets " + carried);

            // A director's vipkeeper dies; its FRR lives and must withdraw the VIP.
            long kill = System.nanoTime();
            daemons.get(1).signal("KILL");
            say("d1: vipkeeper killed with SIGKILL (its FRR keeps running)");
            awaitHops(Set.of(2, 3), options.slow() ? 60 : 10, "the router withdrawing d1");
            long withdrawnMs = (System.nanoTime() - kill) / 1_000_000;
            say("router withdrew d1 " + withdrawnMs + " ms after the kill (the tun device went with the process):"
                    + " nexthops " + hops());
            Map<Integer, String> afterLoss = flows.answers();
            int keptOnLoss = same(owners, afterLoss);
            say("long-lived connections after d1's loss: " + keptOnLoss + " of " + n + " answer from the same backend, "
                    + (afterLoss.size() - keptOnLoss) + " from another, " + (n - afterLoss.size()) + " broken (flows moved"
                    + " mid-connection are picked up by " + mechanism() + ")");
            require(keptOnLoss == n, "every long-lived connection answering from its backend after d1's loss");

            // It returns: announced again, takes flows back, breaks none.
            long back = System.nanoTime();
            start(1);
            say("d1: vipkeeper started again");
            awaitHops(Set.of(1, 2, 3), options.slow() ? 600 : 120, "d1 announced again");
            long reannouncedMs = (System.nanoTime() - back) / 1_000_000;
            say("router's nexthops " + hops() + ": d1 announced again " + reannouncedMs + " ms after its start");
            before = lab.packetsByDirector();
            Map<Integer, String> afterReturn = flows.answers();
            Map<String, Long> carriedBack = delta(before, lab.packetsByDirector());
            int keptOnReturn = same(owners, afterReturn);
            say("long-lived connections after d1's return: " + keptOnReturn + " of " + n + " answer from the same backend, "
                    + (afterReturn.size() - keptOnReturn) + " from another, " + (n - afterReturn.size())
                    + " broken; one echo each reached the directors as packets " + carriedBack);
            require(keptOnReturn == n, "every long-lived connection answering from its backend after d1's return");
            require(carriedBack.get("d1") > 0, "d1 carrying some of the established connections again: " + carriedBack);

            return backendFlap(announcedMs, spread, backends, withdrawnMs, n, keptOnLoss, keptOnReturn, reannouncedMs,
                    carriedBack.get("d1"));
        }
    }

    /** web2 fails its health check and returns; every director must pick the same backend for the same flows throughout. */
    private Figures backendFlap(long announcedMs, Map<String, Long> spread, Map<String, Integer> backends, long withdrawnMs,
            int n, int keptOnLoss, int keptOnReturn, long reannouncedMs, long returnedPackets) throws Exception {
        choiceProbe = DirectorChoices.add(lab, 60);
        Map<Integer, String> first = identical(choices(), "before web2 fails");
        say("probe " + lab.lab().subnet() + ".60, routed through each director in turn, " + CHOICE_FLOWS
                + " flows (the same source ports through each): every director picks the same backend, " + count(first));
        require(first.containsValue("web2"), "some of the flows on web2 before it fails: " + first);
        String web2 = lab.lab().ns("web2");
        Lab.sh("ip", "netns", "exec", web2, "nft", "add table ip vkfail; add chain ip vkfail in { type filter hook input"
                + " priority 0; }; add rule ip vkfail in tcp dport 80 drop");
        long down = System.nanoTime();
        say("web2 fails: its port 80 (the health checks' port) drops every packet");
        Map<Integer, String> without = awaitChoices(c -> !c.containsValue("web2"), "no director picking web2");
        long backendDownMs = (System.nanoTime() - down) / 1_000_000;
        say("after " + backendDownMs + " ms no director picks web2 and all agree again; new flows, the same through every director: "
                + count(without));
        Lab.sh("ip", "netns", "exec", web2, "nft", "delete table ip vkfail");
        long up = System.nanoTime();
        say("web2 returns");
        Map<Integer, String> again = awaitChoices(c -> c.containsValue("web2"), "every director picking web2 again");
        long backendUpMs = (System.nanoTime() - up) / 1_000_000;
        say("after " + backendUpMs + " ms every director picks web2 again and all agree: the same backend for each flow, "
                + count(again));
        return new Figures(announcedMs, spread, backends, withdrawnMs, n, keptOnLoss, keptOnReturn, reannouncedMs,
                returnedPackets, backendDownMs, backendUpMs);
    }

    /**
     * Asks the directors for fresh flows until {@code done} holds for all of them and they agree
     * (they may differ while they take the change in, each at its own pace); fails if they do not
     * within the wait. Returns d1's picks.
     */
    private Map<Integer, String> awaitChoices(Predicate<Map<Integer, String>> done, String what) throws Exception {
        double seconds = options.slow() ? 180 : 30;
        Map<String, Map<Integer, String>> all = choiceProbe.await(3, CHOICE_FLOWS, done, seconds);
        if (!DirectorChoices.settled(all, done)) {
            throw failed(what + ", every director picking the same backend for each flow, within " + seconds
                    + " s; the last picks " + all);
        }
        return all.get("d1");
    }

    /** Each director's picks for {@value #CHOICE_FLOWS} new flows. */
    private Map<String, Map<Integer, String>> choices() throws Exception {
        return choiceProbe.round(3, CHOICE_FLOWS);
    }

    /** The directors' picks required to be the same on every director; returns d1's. */
    private Map<Integer, String> identical(Map<String, Map<Integer, String>> all, String when) {
        require(DirectorChoices.identical(all), "every director picking the same backend for each flow " + when + ": " + all);
        return all.get("d1");
    }

    private String mechanism() {
        try {
            String ns = lab.lab().ns("d2");
            return options.dataPlane().equals("ipvs")
                    ? "IPVS with net.ipv4.vs.sloppy_tcp = " + Lab.sh("ip", "netns", "exec", ns, "sysctl", "-n", "net.ipv4.vs.sloppy_tcp").strip()
                    : "conntrack's loose pickup, net.netfilter.nf_conntrack_tcp_loose = "
                            + Lab.sh("ip", "netns", "exec", ns, "sysctl", "-n", "net.netfilter.nf_conntrack_tcp_loose").strip();
        } catch (Exception e) {
            return options.dataPlane().equals("ipvs") ? "IPVS (sloppy_tcp unreadable)" : "conntrack (nf_conntrack_tcp_loose unreadable)";
        }
    }

    /** The router's nexthops for the VIP, sorted. */
    private Set<String> hops() throws Exception {
        return new TreeSet<>(lab.nexthops());
    }

    private void start(int d) throws Exception {
        Path conf = dir.resolve("d" + d + ".conf");
        Files.writeString(conf, config.text(d, 2, true));
        daemons.put(d, lab.lab().own(JarProcess.startIn(lab.lab().ns("d" + d), dir, "run", "-f", conf.toString(),
                "--run-dir", dir.resolve("run-d" + d).toString())));
    }

    /** Waits until the router's nexthops are exactly {@code directors}; returns the milliseconds it took. */
    private long awaitHops(Set<Integer> directors, double seconds, String what) throws Exception {
        Set<String> want = new TreeSet<>();
        directors.forEach(d -> want.add(options.subnet() + ".2" + d));
        long start = System.nanoTime();
        while (!hops().equals(want)) {
            if (System.nanoTime() - start > seconds * 1e9) {
                throw failed(what + " within " + seconds + " s: the router's nexthops are " + hops());
            }
            Thread.sleep(20);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private void require(boolean ok, String what) {
        if (!ok) {
            throw failed(what);
        }
    }

    /** A failed step with what explains it: the router's BGP table and the tail of each daemon's log. */
    private StepFailed failed(String what) {
        StringBuilder b = new StringBuilder(what).append("\n--- router: show bgp ipv4\n");
        try {
            b.append(lab.router().vtysh("show bgp ipv4"));
        } catch (Exception e) {
            b.append(e).append('\n');
        }
        daemons.forEach((d, p) -> {
            List<String> lines = p.log().lines().toList();
            b.append("--- d").append(d).append("'s vipkeeper, last lines:\n");
            lines.subList(Math.max(0, lines.size() - 8), lines.size()).forEach(l -> b.append(l).append('\n'));
        });
        return new StepFailed(b.toString());
    }

    /** Prints {@code message} after the seconds since the story began, as the failover demo does. */
    void say(String message) {
        out.accept(String.format(Locale.ROOT, "[%6.1fs] %s", (System.nanoTime() - t0) / 1e9, message));
    }

    private static int same(Map<Integer, String> first, Map<Integer, String> now) {
        return (int) first.entrySet().stream().filter(e -> e.getValue().equals(now.get(e.getKey()))).count();
    }

    private static Map<String, Integer> count(Map<Integer, String> owners) {
        Map<String, Integer> c = new TreeMap<>();
        owners.values().forEach(b -> c.merge(b, 1, Integer::sum));
        return c;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
        return d;
    }

    @Override
    public void close() {
        lab.close();
    }
}
