package io.vipkeeper.appliance.it;

import static io.vipkeeper.appliance.it.Literals.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DataPlane;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import io.vipkeeper.appliance.pool.TableReconciler;
import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The lab of the stateless-nat ITs ({@link NftablesStatelessIT}, {@link NftablesStateless6IT}), in
 * namespaces on the host kernel: a director (lb, host 10) running {@link NftablesDataPlane} on a
 * thread in its namespace, driven by the shared {@link TableReconciler}, with conntrack on there (a
 * table that counts new flows), so a flow that went through it would be there to see; three UDP
 * echo backends b1..b3 (hosts 11-13) on port {@value #PORT} answering their name and the sender
 * from raw sockets with complete checksums ({@link RawUdpEcho}); a client (host 20). Each IT gives
 * its family's addresses ({@link Addresses}) and the service, and keeps its own checks. Closing
 * ends the engine, the threads and the lab.
 */
final class StatelessNatLab implements AutoCloseable {
    static final List<String> BACKENDS = List.of("b1", "b2", "b3");
    static final int PORT = 7000;

    /** One family's addresses on the lab's nodes, each called right after its node is made. */
    interface Addresses {
        void lb(String ns) throws Exception;

        void client(String ns) throws Exception;

        /** Addresses backend {@code ns} (host {@code host}), routes it through the director, and says the address its echo binds. */
        String backend(String ns, int host) throws Exception;
    }

    /** What answered a datagram: its source and its body ("NAME CLIENT:PORT" from the echo). */
    record Answer(InetSocketAddress from, String body) {
        String backend() {
            return body.split(" ")[0];
        }
    }

    private final Lab lab;
    private final ServiceKey service;
    private final String client;
    private final TableReconciler reconciler = new TableReconciler(Duration.ofSeconds(1));
    private ExecutorService lbThread;
    private ExecutorService clientThread;
    private DataPlane engine;
    private Callable<String> diagnosis = () -> "";

    private StatelessNatLab(Lab lab, ServiceKey service, String client) {
        this.lab = lab;
        this.service = service;
        this.client = client;
    }

    /** The lab on {@code subnet}.0/24 (the nodes' IPv4), {@code service} balanced for {@code client}'s datagrams. */
    static StatelessNatLab start(String subnet, ServiceKey service, String client, Addresses addresses) throws Exception {
        StatelessNatLab nat = new StatelessNatLab(Lab.create(subnet), service, client);
        try {
            nat.build(addresses);
            return nat;
        } catch (Exception | Error e) {
            nat.close();
            throw e;
        }
    }

    private void build(Addresses addresses) throws Exception {
        String lb = lab.node("lb", 10);
        addresses.lb(lb);
        String clientNs = lab.node("client", 20);
        addresses.client(clientNs);
        for (int i = 0; i < BACKENDS.size(); i++) {
            String name = BACKENDS.get(i);
            String ns = lab.node(name, 11 + i);
            RawUdpEcho.start(lab, ns, name, addresses.backend(ns, 11 + i), PORT);
        }
        lbThread = Executors.newSingleThreadExecutor(NamespaceThreads.factory(lb, "nft"));
        clientThread = Executors.newSingleThreadExecutor(NamespaceThreads.factory(clientNs, "client"));
        engine = onLb(NftablesDataPlane::new);
        sh("lb", "nft", "add table inet seen; add chain inet seen pre { type filter hook prerouting priority 0; };"
                + " add rule inet seen pre ct state new counter");
    }

    /** What a missing answer's message adds (the IPv6 twin: the receivers' checksum errors). */
    void diagnosis(Callable<String> more) {
        diagnosis = more;
    }

    Lab lab() {
        return lab;
    }

    DataPlane engine() {
        return engine;
    }

    /** Plans and applies until nothing is left to change, failing on a refused change or after 10 s. */
    void settle(Map<ServiceKey, DesiredService> want) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<TableChange> ops = plan(want);
            if (ops.isEmpty()) {
                return;
            }
            assertEquals(List.of(), onLb(() -> engine.apply(ops)));
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still changing after 10 s: " + plan(want));
            }
        }
    }

    /**
     * Takes {@code back} out of {@code want} until it is deleted (it drains first, weight 0, for the
     * reconciler's drain timeout), applies one run's plan for {@code want}, which adds it back,
     * then checks that the next run plans nothing. The add used to write the netdev table under
     * another digest than the one the next run's read-back expects (the backend's replies element
     * written last, read back in the kernel's order): that run read it as drift and rewrote the
     * table, a "repaired drift" and a repair counted at every health flap.
     */
    void addBackWithoutRepair(Map<ServiceKey, DesiredService> want, BackendKey back) throws Exception {
        DesiredService all = want.get(service);
        Map<BackendKey, BackendSpec> others = new LinkedHashMap<>(all.dests());
        others.remove(back);
        Map<ServiceKey, DesiredService> without = Map.of(service, new DesiredService(all.spec(), others, Map.of()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (table().get(service).dests().containsKey(back)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(back + " not deleted after 10 s");
            }
            Thread.sleep(100);
            settle(without);
        }
        List<TableChange> ops = plan(want);
        assertEquals(List.of(TableChange.NewBackend.class), ops.stream().map(Object::getClass).toList(), "adds it back");
        assertEquals(List.of(), onLb(() -> engine().apply(ops)));
        assertEquals(List.of(), plan(want), "the run after the add finds no drift to repair");
    }

    List<TableChange> plan(Map<ServiceKey, DesiredService> want) throws Exception {
        return reconciler.plan(want, table(), Set.of(service), System.nanoTime(), false);
    }

    Map<ServiceKey, ActualService> table() throws Exception {
        return onLb(engine::table);
    }

    /** Runs {@code task} on the engine's thread, in the director's namespace. */
    <T> T onLb(Callable<T> task) throws Exception {
        return EngineThread.call(lbThread, task);
    }

    /** What answered a datagram from the client's port {@code port} to the service, or null after a second. */
    Answer ask(int port) throws Exception {
        return EngineThread.call(clientThread, () -> {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(ip(client), port))) {
                s.setSoTimeout(1000);
                byte[] q = "q".getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(q, q.length, service.address(), service.port()));
                DatagramPacket r = new DatagramPacket(new byte[512], 512);
                s.receive(r);
                return new Answer((InetSocketAddress) r.getSocketAddress(), new String(r.getData(), 0, r.getLength(),
                        StandardCharsets.US_ASCII));
            } catch (SocketTimeoutException e) {
                return null;
            }
        });
    }

    /** {@code a}, failing when {@code what} was not answered (null). */
    Answer answered(Answer a, String what) throws Exception {
        if (a == null) {
            throw new AssertionError(what + " through the VIP was not answered" + diagnosis.call());
        }
        return a;
    }

    /** Which backend answered each of {@code flows} flows from client ports {@code first} on. */
    Map<String, Integer> spread(int first, int flows) throws Exception {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < flows; i++) {
            seen.merge(answered(ask(first + i), "flow " + i).backend(), 1, Integer::sum);
        }
        return seen;
    }

    /** Runs {@code cmd} in node {@code node}'s namespace: its output. */
    String sh(String node, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns(node)));
        full.addAll(List.of(cmd));
        return Lab.sh(full.toArray(String[]::new));
    }

    @Override
    public void close() throws Exception {
        try {
            if (clientThread != null) {
                clientThread.shutdownNow();
            }
        } finally {
            EngineThread.close(lbThread, engine, lab);
        }
    }
}
