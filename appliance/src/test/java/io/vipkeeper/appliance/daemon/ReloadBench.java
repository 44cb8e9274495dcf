package io.vipkeeper.appliance.daemon;

import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.ipvs.SyncDaemonState;
import io.vipkeeper.appliance.pool.InMemoryIpvs;
import io.vipkeeper.appliance.pool.NatSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import jnr.posix.POSIXFactory;

/**
 * Reload benchmark, run by vagrant/lab/bench-reload on the host: a daemon (this JVM, the real
 * Daemon class, its SIGHUP handler, config loader, diff and IPVS manager) with a config of
 * 100 virtual servers x 100 real servers (10,000), and an in-memory kernel in place of IPVS
 * (the host has none; the kernel's share is measured in the VM by bench-ipvs). Each round
 * edits one real server's weight, sends SIGHUP to this process and times until the kernel
 * interface receives the one SET_DEST. Prints the figures.
 */
public final class ReloadBench {
    private static final int SIGHUP = 1;

    private ReloadBench() {
    }

    /** The in-memory table, reporting every applied batch to the benchmark. */
    private static final class TimedKernel implements IpvsKernel {
        final InMemoryIpvs table = new InMemoryIpvs();
        final SynchronousQueue<Long> applied = new SynchronousQueue<>();
        volatile boolean report;

        @Override
        public Map<ServiceKey, ActualService> table() {
            return table.table();
        }

        @Override
        public List<Failure> apply(List<TableChange> ops) {
            List<Failure> f = table.apply(ops);
            if (report) {
                try {
                    applied.offer(System.nanoTime(), 5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return f;
        }

        @Override
        public List<SyncDaemonState> syncDaemons() {
            return table.syncDaemons();
        }

        @Override
        public void startSyncDaemon(SyncDaemonState d) {
            table.startSyncDaemon(d);
        }

        @Override
        public void stopSyncDaemon(int state) {
            table.stopSyncDaemon(state);
        }

        @Override
        public io.vipkeeper.appliance.ipvs.IpvsTimeouts timeouts() {
            return table.timeouts();
        }

        @Override
        public void setTimeouts(io.vipkeeper.appliance.ipvs.IpvsTimeouts t) {
            table.setTimeouts(t);
        }

        @Override
        public void close() {
        }
    }

    static String config(int services, int realServers, int changedWeight) {
        StringBuilder sb = new StringBuilder("vipkeeper {\n  api.listen = \"\"\n  ipvs {\n    reconcile-interval = 1h\n"
                + "    virtual-server-defaults.health-check.type = none\n    virtual-servers {\n");
        for (int s = 0; s < services; s++) {
            sb.append("      vs").append(s).append(" {\n        address = \"198.18.0.").append(1 + s % 250)
                    .append("\"\n        port = ").append(1000 + s).append("\n        scheduler = wrr\n")
                    .append("        real-servers = [\n");
            for (int r = 0; r < realServers; r++) {
                int weight = s == 0 && r == 0 ? changedWeight : 1;
                sb.append("          { address = \"198.18.").append(2 + r / 250).append('.').append(r % 250 + 1)
                        .append("\", port = 8080, weight = ").append(weight).append(" }\n");
            }
            sb.append("        ]\n      }\n");
        }
        return sb.append("    }\n  }\n}\n").toString();
    }

    /** The same config as one main file including one file per virtual server. */
    static void writeSplit(Path dir, int services, int realServers, int changedWeight) throws Exception {
        String all = config(services, realServers, changedWeight);
        StringBuilder main = new StringBuilder("vipkeeper {\n  api.listen = \"\"\n  ipvs {\n    reconcile-interval = 1h\n"
                + "    virtual-server-defaults.health-check.type = none\n    virtual-servers {\n");
        for (int s = 0; s < services; s++) {
            int from = all.indexOf("      vs" + s + " {\n");
            int to = s + 1 < services ? all.indexOf("      vs" + (s + 1) + " {\n") : all.indexOf("    }\n  }\n}\n");
            Path vs = dir.resolve("vs" + s + ".conf");
            String text = all.substring(from, to);
            if (!Files.exists(vs) || !Files.readString(vs).equals(text)) {
                Files.writeString(vs, text);
            }
            main.append("      include \"vs").append(s).append(".conf\"\n");
        }
        Files.writeString(dir.resolve("vipkeeper.conf"), main.append("    }\n  }\n}\n").toString());
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        boolean split = args.length > 1 && args[1].equals("--split");
        int services = 100;
        int realServers = 100;
        Path dir = Files.createTempDirectory("vk-reload-bench");
        Path conf = dir.resolve("vipkeeper.conf");
        if (split) {
            writeSplit(dir, services, realServers, 1);
        } else {
            Files.writeString(conf, config(services, realServers, 1));
        }
        TimedKernel kernel = new TimedKernel();
        Daemon daemon = new Daemon(conf, 0, dir.resolve("vipkeeper.pid"), () -> kernel, NatSetup.NONE);
        long t0 = System.nanoTime();
        Thread runner = DaemonThread.start(daemon);
        if (!daemon.awaitStarted(120)) {
            throw new IllegalStateException("the daemon did not start");
        }
        System.out.printf("start: %d services x %d real servers programmed in %d ms (JVM cold)%n", services,
                realServers, (System.nanoTime() - t0) / 1_000_000);
        long self = ProcessHandle.current().pid();
        long[] ms = new long[rounds];
        kernel.report = true;
        for (int i = 0; i < rounds; i++) {
            if (split) {
                writeSplit(dir, services, realServers, 2 + i);
            } else {
                Files.writeString(conf, config(services, realServers, 2 + i));
            }
            long sent = System.nanoTime();
            POSIXFactory.getNativePOSIX().kill((int) self, SIGHUP);
            Long done = kernel.applied.poll(30, TimeUnit.SECONDS);
            if (done == null) {
                throw new IllegalStateException("round " + i + ": the kernel got no change");
            }
            ms[i] = (done - sent) / 1000;
            Thread.sleep(200);
        }
        kernel.report = false;
        daemon.stop();
        runner.join(10_000);
        List<Long> all = new ArrayList<>();
        Arrays.stream(ms).forEach(all::add);
        long[] warm = Arrays.copyOfRange(ms, Math.min(5, rounds - 1), rounds);
        Arrays.sort(warm);
        System.out.printf("reload of a %d-real-server config (%s) with one changed weight, SIGHUP -> kernel change:%n",
                services * realServers, split ? "a main file including one file per virtual server" : "one file");
        System.out.printf("  every round (ms): %s%n", all.stream().map(u -> String.format("%.1f", u / 1000.0)).toList());
        System.out.printf("  after 5 warm-up rounds: median %.1f ms, max %.1f ms, min %.1f ms (target < 100 ms)%n",
                warm[warm.length / 2] / 1000.0, warm[warm.length - 1] / 1000.0, warm[0] / 1000.0);
        System.exit(0);
    }
}
