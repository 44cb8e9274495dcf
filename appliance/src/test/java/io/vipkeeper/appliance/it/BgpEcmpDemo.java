package io.vipkeeper.appliance.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * vagrant/lab/ecmp-demo's program: {@link BgpEcmpStory} on this kernel, printed as it happens,
 * in namespaces of 198.19.90.0/24 (VIP 198.19.91.100). Exits 0 when every step happened, 1 with
 * "FAILED: ..." when one did not, 130 on Ctrl-C; the lab (namespaces, FRR, daemons, servers) is
 * removed in every case, on Ctrl-C by a shutdown hook.
 * Options: --data-plane nftables|ipvs (nftables), --connections N (30), --slow (the TCG VM's
 * timers and waits; the script sets it there).
 */
public final class BgpEcmpDemo {
    static final String SUBNET = "198.19.90";
    static final String VIP = "198.19.91.100";

    private BgpEcmpDemo() {
    }

    public static void main(String[] args) throws Exception {
        String dataPlane = "nftables";
        int connections = 30;
        boolean slow = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-plane" -> dataPlane = args[++i];
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--slow" -> slow = true;
                default -> {
                    System.err.println("usage: [--data-plane nftables|ipvs] [--connections N] [--slow]");
                    System.exit(2);
                }
            }
        }
        if (!dataPlane.equals("nftables") && !dataPlane.equals("ipvs")) {
            System.err.println("--data-plane: nftables or ipvs");
            System.exit(2);
        }
        Path dir = Files.createTempDirectory("vk-ecmp-demo");
        BgpEcmpStory.Options options = new BgpEcmpStory.Options(dataPlane, SUBNET, VIP, connections, slow);
        AtomicReference<BgpEcmpStory> story = new AtomicReference<>();
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!finished.get()) {
                interrupted.set(true);
                System.out.println();
                System.out.println("interrupted: cleaning up");
            }
            if (story.get() != null) {
                story.get().close();
            }
            removeNamespacesOfThisProcess();
            try {
                Lab.sh("rm", "-rf", dir.toString());
            } catch (Exception e) {
                System.err.println("cannot remove " + dir + ": " + e.getMessage());
            }
        }));
        int code = 0;
        try {
            story.set(BgpEcmpStory.create(dir, options, System.out::println));
            story.get().run();
            story.get().say("demo passed: spread, withdrawal, connections kept, return and a backend's flap all seen");
        } catch (Exception e) {
            if (!interrupted.get()) {
                System.out.println("FAILED: " + (e instanceof BgpEcmpStory.StepFailed ? e.getMessage() : e.toString()));
                if (!(e instanceof BgpEcmpStory.StepFailed)) {
                    e.printStackTrace(System.out);
                }
            }
            code = 1;
        }
        finished.set(true);
        System.exit(code); // the hook removes the lab
    }

    /**
     * What a Ctrl-C in the middle of building the lab leaves (the story not yet there to close):
     * every namespace named after this JVM (Lab's names carry its pid), the processes in it killed first.
     */
    private static void removeNamespacesOfThisProcess() {
        String mine = "vk" + Long.toHexString(ProcessHandle.current().pid()) + "x";
        try {
            for (String line : Lab.sh("ip", "netns", "list").split("\n")) {
                String ns = line.split(" ")[0];
                if (ns.startsWith(mine)) {
                    for (String pid : Lab.sh("ip", "netns", "pids", ns).split("\\s+")) {
                        if (!pid.isBlank()) {
                            new ProcessBuilder("kill", "-9", pid.strip()).start().waitFor();
                        }
                    }
                    Lab.sh("ip", "netns", "del", ns);
                }
            }
        } catch (Exception e) {
            System.err.println("cleanup: " + e.getMessage());
        }
    }
}
