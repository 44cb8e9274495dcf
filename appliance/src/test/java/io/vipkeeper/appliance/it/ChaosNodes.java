package io.vipkeeper.appliance.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fault lab's machines and the hands on them: lb1 and lb2 (vipkeeper, or keepalived as lb2),
 * a client and a stranger on one bridge in 198.18.15.0/24; each load balancer also has trk0 (a
 * veth pair, always up) to track. Starts, signals, kills and restarts the daemons, writes their
 * files, takes links down, and keeps the bridge's nft table (partition, loss). What the lab expects
 * of a node (its last valid config, whether it should run) lives in its {@link Node}, which the
 * checker reads.
 */
final class ChaosNodes implements AutoCloseable {
    private final Lab lab;
    private final Path dir;
    private final int intervalMs;
    private final Path notifyScript;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<Process> burners = new ArrayList<>();

    /** A load balancer and what the lab expects of it. */
    static final class Node {
        final String name;
        final String ns;
        final boolean keepalived;
        final Path conf;
        /** The last valid config written to it: what must be in effect. */
        volatile ChaosConfig expected;
        volatile AutoCloseable process;
        /** False from the moment the lab sends SIGKILL/SIGTERM until it starts the node again. */
        volatile boolean expectedAlive;
        /** False while the lab holds its link down (its API cannot answer then). */
        volatile boolean linkUp = true;
        volatile boolean partitioned;
        volatile int lossPercent;
        int starts;

        Node(String name, String ns, boolean keepalived, Path conf, ChaosConfig expected) {
            this.name = name;
            this.ns = ns;
            this.keepalived = keepalived;
            this.conf = conf;
            this.expected = expected;
        }
    }

    private ChaosNodes(Lab lab, Path dir, int intervalMs, Path notifyScript) {
        this.lab = lab;
        this.dir = dir;
        this.intervalMs = intervalMs;
        this.notifyScript = notifyScript;
    }

    /** The topology in {@code lab}; nothing started yet. */
    static ChaosNodes create(Lab lab, Path dir, boolean keepalivedPeer, int intervalMs) throws Exception {
        Path script = dir.resolve("notify.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$(date +%s.%N) $*\" >> " + dir.resolve("notify.log") + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        ChaosNodes n = new ChaosNodes(lab, dir, intervalMs, script);
        for (String name : List.of("lb1", "lb2")) {
            ChaosConfig c = ChaosConfig.initial(name);
            String ns = lab.node(name, c.host());
            Lab.sh("ip", "-n", ns, "link", "add", ChaosConfig.TRACKED, "type", "veth", "peer", "name", "trk1");
            Lab.sh("ip", "-n", ns, "link", "set", ChaosConfig.TRACKED, "up");
            Lab.sh("ip", "-n", ns, "link", "set", "trk1", "up");
            boolean ka = keepalivedPeer && name.equals("lb2");
            n.nodes.put(name, new Node(name, ns, ka, dir.resolve(name + ".conf"), c));
        }
        lab.node("client", 9);
        lab.node("stranger", 66);
        return n;
    }

    Node node(String name) {
        return nodes.get(name);
    }

    List<Node> all() {
        return List.copyOf(nodes.values());
    }

    /** The other load balancer. */
    static String peerOf(String name) {
        return name.equals("lb1") ? "lb2" : "lb1";
    }

    int intervalMs() {
        return intervalMs;
    }

    /**
     * garp.master-refresh of both nodes: 1 s. After a split the master that stays announces its VIPs
     * again when it hears the lower master's adverts or its last advert on stepping down; if it hears
     * neither (the split ended one way: loss or a half-healed partition dropped them, or the lower
     * master is keepalived, which sends no last advert), only a periodic announcement brings back the
     * clients the lower master drew to itself before their ARP entries expire (seeds 101, 208 and
     * 303 left the client unanswered for good without one). Operators should set it too.
     */
    int refreshSeconds() {
        return 1;
    }

    /** How {@link #splitEnd} is made, for the timeline. */
    static final String SPLIT_END = "the longer of the higher master's MDI and the GARP refresh, + 2 I";

    /**
     * How long after the nodes hear each other again a split may last: the lower master steps down
     * at the higher one's next advert (I); the higher announces the VIP again at once when it hears
     * the lower, or one Master_Down_Interval of its own after the lower's last advert if it had
     * heard it during the split already (MDI), or, if it heard nothing of it, at its next GARP
     * refresh ({@link #refreshSeconds}); plus the one-interval allowance (I).
     */
    long splitEnd(ChaosWindows.Timers timers) {
        long mdi = 0;
        for (String instance : List.of(ChaosConfig.VI_1, ChaosConfig.VI_2)) {
            int higher = 0;
            for (Node n : nodes.values()) {
                ChaosConfig.Instance i = n.expected.instances().get(instance);
                higher = Math.max(higher, i == null ? 0 : i.priority());
            }
            if (higher > 0) {
                mdi = Math.max(mdi, timers.masterDown(higher));
            }
        }
        return Math.max(mdi, refreshSeconds() * 1_000_000_000L) + 2 * timers.interval();
    }

    /** The node's file for {@code c}. */
    String render(Node n, ChaosConfig c) {
        return n.keepalived ? c.keepalived(intervalMs, notifyScript.toString(), refreshSeconds())
                : c.vipkeeper(intervalMs, notifyScript.toString(), refreshSeconds());
    }

    /** Writes {@code c} as the node's file (the expectation changes only once a reload says it took it). */
    void write(Node n, ChaosConfig c) throws IOException {
        if (n.keepalived) {
            if (n.process instanceof Keepalived k) {
                k.rewrite(render(n, c));
            }
        } else {
            Files.writeString(n.conf, render(n, c));
        }
    }

    /** Writes {@code text} as the node's file, whatever it is (vipkeeper only). */
    void writeRaw(Node n, String text) throws IOException {
        Files.writeString(n.conf, text);
    }

    /** Starts the node's daemon from its expected config. */
    void start(Node n) throws IOException {
        n.starts++;
        if (n.keepalived) {
            n.process = lab.own(Keepalived.start(n.ns, dir, n.name + "-" + n.starts, render(n, n.expected)));
        } else {
            write(n, n.expected);
            // CHAOS_DAEMON_JVM of vagrant/lab/chaos: options to diagnose pauses, such as a GC log per run.
            List<String> extra = java.util.Arrays.stream(System.getProperty("chaos.daemon.jvm", "").split(" "))
                    .filter(x -> !x.isEmpty()).map(x -> x.replace("NODE", n.name + "-" + n.starts)).toList();
            n.process = lab.own(JarProcess.startIn(n.ns, dir, extra, "run", "-f", n.conf.toString()));
        }
        n.expectedAlive = true;
    }

    long pid(Node n) {
        return n.process instanceof Keepalived k ? k.pid() : ((JarProcess) n.process).pid();
    }

    boolean alive(Node n) {
        AutoCloseable p = n.process;
        return p instanceof Keepalived k ? k.isAlive() : p != null && ((JarProcess) p).isAlive();
    }

    /** The exit status of a process that has exited. */
    int exitValue(Node n) {
        return n.process instanceof Keepalived k ? k.exitValue() : ((JarProcess) n.process).exitValueNow();
    }

    /** Sends SIG{@code signal} to the daemon (keepalived: its parent, which passes it on). */
    void signal(Node n, String signal) throws IOException, InterruptedException {
        Lab.sh("kill", "-" + signal, Long.toString(pid(n)));
    }

    /** {@code count} SIGHUPs {@code gapMillis} apart from one shell, so the gaps are not process starts. */
    void hupStorm(Node n, int count, int gapMillis) throws IOException, InterruptedException {
        StringBuilder sh = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sh.append("kill -HUP ").append(pid(n)).append(i + 1 < count ? "; sleep " + gapMillis / 1000.0 + "; " : "");
        }
        Lab.sh("sh", "-c", sh.toString());
    }

    /**
     * Stops the daemon (SIGKILL of the whole process tree, or SIGTERM) and waits up to 30 s for it
     * to exit; returns its exit status. The node is expected down from before the signal.
     */
    int stop(Node n, boolean kill) throws Exception {
        n.expectedAlive = false;
        if (kill && n.process instanceof Keepalived k) {
            ProcessHandle.of(k.pid()).ifPresent(h -> h.descendants().forEach(ProcessHandle::destroyForcibly));
        }
        signal(n, kill ? "KILL" : "TERM");
        ProcessHandle h = ProcessHandle.of(pid(n)).orElse(null);
        if (h != null) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // Seen once (seed 703): a graceful stop that waited 30 s for its STOP notify. A
                // thread dump (on the daemon's stdout, kept with the run's logs) says where.
                if (!kill && !(n.process instanceof Keepalived)) {
                    signal(n, "QUIT");
                }
                h.onExit().get(20, TimeUnit.SECONDS);
            }
        }
        for (int i = 0; i < 100 && alive(n); i++) {
            Thread.sleep(10); // onExit can finish a moment before Process knows the status
        }
        return exitValue(n);
    }

    /** The node's eth0 (or, with {@code cable}, its cable at the bridge) down or up. */
    void link(Node n, boolean cable, boolean up) throws Exception {
        if (!up) {
            n.linkUp = false;
        }
        if (cable) {
            lab.cable(n.name, up);
        } else {
            lab.link(n.name, up);
        }
        if (up) {
            n.linkUp = true;
        }
    }

    /**
     * Replaces the bridge's nft table with every node's partition and loss rules: drops of VRRP
     * forwarded between the ports named after the nodes. One table in the bridge's namespace, so a
     * partition starts and heals in one transaction: healing one node's side seconds before the
     * other's (nft in two namespaces once took 2.7 s) is a one-way link, a different fault.
     */
    void firewall() throws IOException, InterruptedException {
        StringBuilder rules = new StringBuilder();
        for (Node n : nodes.values()) {
            if (n.partitioned) {
                rules.append("    iifname \"").append(peerOf(n.name)).append("\" oifname \"").append(n.name)
                        .append("\" ip protocol vrrp drop\n");
            }
            if (n.lossPercent > 0) {
                rules.append("    oifname \"").append(n.name).append("\" ip protocol vrrp numgen random mod 100 < ")
                        .append(n.lossPercent).append(" drop\n");
            }
        }
        String table = "table bridge chaos\ndelete table bridge chaos\ntable bridge chaos {\n  chain forward {\n"
                + "    type filter hook forward priority 0; policy accept;\n" + rules + "  }\n}\n";
        Process p = new ProcessBuilder("ip", "netns", "exec", lab.bridgeNs(), "nft", "-f", "-").redirectErrorStream(true)
                .start();
        p.getOutputStream().write(table.getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("nft in the bridge failed: " + out + "\n" + table);
        }
    }

    /** Whether {@code n}'s neighbour entry for {@code peer} waits for ARP (INCOMPLETE). */
    boolean unresolved(Node n, Node peer) throws IOException, InterruptedException {
        return Lab.sh("ip", "-n", n.ns, "neigh", "show", "to", peer.expected.address(), "dev", "eth0")
                .contains("INCOMPLETE");
    }

    /** Deletes {@code vip} from the node's eth0, as an operator's {@code ip addr del} would. */
    void deleteVip(Node n, String vip) throws IOException, InterruptedException {
        Lab.sh("ip", "-n", n.ns, "addr", "del", vip + "/24", "dev", "eth0");
    }

    /**
     * Starts {@code count} busy loops ten nice levels below the daemons: at 0 where they run at
     * the unit's -10, as other work on a director would, and at 10 where the kernel refused them
     * -10 (a container without CAP_SYS_NICE, as CI's), so the load stays below them either way.
     */
    void burn(int count) throws IOException {
        int daemons = nodes.values().stream().filter(this::alive).mapToInt(this::niceness).max().orElse(0);
        for (int i = 0; i < count; i++) {
            List<String> cmd = new ArrayList<>(JarProcess.niceTo(Math.min(19, Math.max(0, daemons + 10))));
            cmd.addAll(List.of("sh", "-c", "while :; do :; done"));
            burners.add(new ProcessBuilder(cmd).start());
        }
    }

    /** The daemon's niceness; 0 if it exited a moment ago. */
    private int niceness(Node n) {
        try {
            return JarProcess.niceness(Long.toString(pid(n)));
        } catch (IllegalStateException e) {
            return 0;
        }
    }

    /** Ends the burners. */
    void stopBurning() {
        burners.forEach(Process::destroyForcibly);
        burners.clear();
    }

    /** The last {@code lines} lines of the daemon's log. */
    String logTail(Node n, int lines) {
        try {
            String text = n.process instanceof Keepalived k ? k.log() : ((JarProcess) n.process).err();
            List<String> all = text.lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }

    /** The whole log of the daemon's current run. */
    String log(Node n) throws IOException {
        return n.process instanceof Keepalived k ? k.log() : ((JarProcess) n.process).err();
    }

    @Override
    public void close() {
        stopBurning();
    }
}
