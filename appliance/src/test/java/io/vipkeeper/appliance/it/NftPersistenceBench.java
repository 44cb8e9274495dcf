package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DataPlane;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What persistence costs the nftables engine on this host, in a namespace of its own: one
 * persistent wrr service over 4 backends whose map holds N client records (a quarter on each
 * backend, written by nft as traffic would), then per round: one backend to weight 0 (the engine
 * lists the map and deletes that backend's records in the same transaction), a full table read
 * (which lists every record), and the backend back. Prints figures; asserts nothing. Usage:
 * NftPersistenceBench [--clients N] [--rounds R]
 */
public final class NftPersistenceBench {
    private NftPersistenceBench() {
    }

    public static void main(String[] args) throws Exception {
        int clients = 100_000;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String ns = "vknftpersist" + Long.toHexString(ProcessHandle.current().pid());
        Lab.sh("ip", "netns", "add", ns);
        ExecutorService thread = Executors.newSingleThreadExecutor(NamespaceThreads.factory(ns, "nft"));
        try {
            DataPlane engine = thread.submit(NftablesDataPlane::new).get();
            ServiceKey web = ServiceKey.of(TransportProtocol.TCP, InetAddress.getByName("198.18.240.100"), 80);
            List<TableChange> add = new ArrayList<>();
            add.add(new TableChange.NewService(new ServiceSpec(web, "wrr", ServiceSpec.PERSISTENT, 300, 0xffffffffL), "bench"));
            List<BackendKey> backends = new ArrayList<>();
            for (int b = 0; b < 4; b++) {
                backends.add(new BackendKey(InetAddress.getByName("198.18.240." + (11 + b)), 8080));
                add.add(new TableChange.NewBackend(web, backend(backends.get(b), 1), "bench"));
            }
            thread.submit(() -> engine.apply(add)).get();
            StringBuilder records = new StringBuilder("add element inet vipkeeper_lb svc_tcp_c612f064_80_p { ");
            for (int i = 0; i < clients; i++) {
                records.append(i == 0 ? "" : ", ").append("10.").append((i >> 16) & 255).append('.').append((i >> 8) & 255)
                        .append('.').append(i & 255).append(" : 198.18.240.").append(11 + i % 4).append(" . 8080");
            }
            Path script = Files.createTempFile("nftpersist", ".nft");
            Files.writeString(script, records.append(" }\n"));
            System.out.printf(Locale.ROOT, "nftables persistence, %d client records over 4 backends, %d rounds%n", clients, rounds);
            try {
                for (int r = 1; r <= rounds; r++) {
                    Lab.sh("ip", "netns", "exec", ns, "nft", "-f", script.toString());
                    long t0 = System.nanoTime();
                    thread.submit(() -> engine.apply(List.of(new TableChange.SetBackend(web, backend(backends.get(0), 0), "bench"))))
                            .get();
                    long t1 = System.nanoTime();
                    thread.submit(engine::table).get();
                    long t2 = System.nanoTime();
                    thread.submit(() -> engine.apply(List.of(new TableChange.SetBackend(web, backend(backends.get(0), 1), "bench"))))
                            .get();
                    System.out.printf(Locale.ROOT, "round %d: backend to weight 0 with its %d records deleted %.0f ms,"
                            + " full table read %.0f ms%n", r, clients / 4, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
                }
            } finally {
                Files.deleteIfExists(script);
                thread.submit(engine::close).get();
            }
        } finally {
            thread.shutdownNow();
            Lab.sh("ip", "netns", "del", ns);
        }
    }

    private static BackendSpec backend(BackendKey key, int weight) {
        return new BackendSpec(key, Forwarding.NAT, weight, 0, 0);
    }
}
