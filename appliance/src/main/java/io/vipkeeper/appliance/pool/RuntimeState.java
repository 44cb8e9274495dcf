package io.vipkeeper.appliance.pool;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.config.RealServer;
import io.vipkeeper.appliance.config.VirtualServer;
import io.vipkeeper.appliance.dataplane.BackendKey;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's runtime backend states on this node (drained, disabled, runtime weights) and the
 * runtime backends ({@code vipkeeper backend add}: backends that are not in the file), kept in a JSON
 * file under the state directory ({@code /var/lib/vipkeeper/runtime-state.json}) so they
 * survive a restart. Written through a temporary file, fsync and a rename, so a crash leaves the old
 * states or the new ones; a change that cannot be written is refused, so what the daemon does is
 * always what the file says. Per node: the peer director has its own file. Beside the backends the
 * file keeps the VRRP instances the operator put in maintenance ({@code vipkeeper vrrp maintenance},
 * changed from the control socket's order thread): one file, so one atomic write holds both. The
 * writers hold this object's lock; {@link #view} may be read from any thread.
 */
public final class RuntimeState {
    private static final Logger log = LoggerFactory.getLogger(RuntimeState.class);
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;
    private Map<String, Map<BackendKey, BackendAdmin>> states = new LinkedHashMap<>();
    private volatile Map<String, Map<BackendKey, BackendAdmin>> view = Map.of();
    /** Runtime backends with the weight they were added at, by virtual server, in the order added. */
    private Map<String, Map<BackendKey, Integer>> added = new LinkedHashMap<>();
    private volatile Map<String, Map<BackendKey, Integer>> addedView = Map.of();
    /** VRRP instances in the operator's maintenance, sorted. */
    private java.util.SortedSet<String> maintenance = new java.util.TreeSet<>();
    private boolean loaded;

    private RuntimeState(Path file) {
        this.file = file;
    }

    /** States kept in {@code file}. */
    public static RuntimeState in(Path file) {
        return new RuntimeState(file);
    }

    /** The file's states as they are now, read (tests, tools). */
    RuntimeState loaded() {
        load();
        return this;
    }

    /** States in memory only (tests, benchmarks). */
    public static RuntimeState inMemory() {
        return new RuntimeState(null);
    }

    /** The file, as the file format's records ({@code maintenance}: VRRP instance names; absent in older files). */
    record Document(String note, List<Entry> backends, List<String> maintenance) {
    }

    /**
     * One backend's state in the file.
     *
     * @param origin {@code runtime} for a runtime backend; null (or {@code config}) for one of the file
     * @param addedWeight a runtime backend's weight, as added (its "config weight"); null otherwise
     */
    record Entry(String virtualServer, String address, int port, String admin, Integer weight, String origin,
            Integer addedWeight) {
    }

    /** The origin a runtime backend's entry has. */
    static final String RUNTIME = "runtime";

    /**
     * Reads the file (none yet: no states). An unreadable file or entry is logged and left out: the
     * backends it named run as the config says, and the next change rewrites the file.
     */
    synchronized void load() {
        states = new LinkedHashMap<>();
        added = new LinkedHashMap<>();
        if (file != null && Files.exists(file)) {
            try {
                // Entry by entry: one entry of the wrong type (a hand edit, a foreign tool) is
                // left out with its reason, never the whole file and never the daemon's start.
                com.fasterxml.jackson.databind.JsonNode d = MAPPER.readTree(file.toFile());
                maintenance = new java.util.TreeSet<>();
                for (com.fasterxml.jackson.databind.JsonNode m : d.path("maintenance")) {
                    if (m.isTextual() && !m.asText().isBlank()) {
                        maintenance.add(m.asText());
                    } else {
                        log.warn("{}: skipping maintenance entry {}: not an instance name", file, m);
                    }
                }
                for (com.fasterxml.jackson.databind.JsonNode node : d.path("backends")) {
                    try {
                        Entry e = MAPPER.treeToValue(node, Entry.class);
                        if (e == null || e.virtualServer() == null || e.virtualServer().isBlank()) {
                            throw new IllegalArgumentException("no virtual server");
                        }
                        BackendKey k = key(e.address(), e.port());
                        BackendAdmin a = new BackendAdmin(AdminState.of(e.admin())
                                .orElseThrow(() -> new IllegalArgumentException("no admin state " + e.admin())), e.weight());
                        if (RUNTIME.equals(e.origin())) {
                            int w = e.addedWeight() == null ? RuntimeBackends.DEFAULT_WEIGHT : e.addedWeight();
                            new BackendAdmin(AdminState.ENABLED, w); // checks its range
                            added.computeIfAbsent(e.virtualServer(), vs -> new LinkedHashMap<>()).put(k, w);
                        }
                        put(e.virtualServer(), k, a);
                    } catch (IOException | RuntimeException bad) {
                        log.warn("{}: skipping {}: {}", file, node, bad.getMessage());
                    }
                }
            } catch (IOException e) {
                log.warn("cannot read the runtime state {}: {}; every backend runs as the config says", file, e.getMessage());
            }
        }
        loaded = true;
        publish();
        if (!view.isEmpty()) {
            log.info("runtime state from {}: {}", file, describe(view));
        }
        if (!addedView.isEmpty()) {
            log.info("runtime backends from {}: {}", file, describeAdded(addedView));
        }
    }

    private static BackendKey key(String address, int port) {
        InetAddress a = Addresses.parse(address == null ? "" : address)
                .orElseThrow(() -> new IllegalArgumentException("\"" + address + "\" is not an IP address"));
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        return new BackendKey(a, port);
    }

    /** The state of {@code rs} in {@code vs} (the default when untouched). */
    BackendAdmin get(String vs, BackendKey rs) {
        return states.getOrDefault(vs, Map.of()).getOrDefault(rs, BackendAdmin.DEFAULT);
    }

    /** Every state of {@code vs}'s backends that is not the default. */
    Map<BackendKey, BackendAdmin> of(String vs) {
        return Map.copyOf(states.getOrDefault(vs, Map.of()));
    }

    /**
     * Sets the state of {@code rs} in {@code vs}: written to the file first, kept only once written.
     *
     * @throws IOException when the file cannot be written (nothing changed)
     */
    synchronized void set(String vs, BackendKey rs, BackendAdmin admin) throws IOException {
        change(() -> put(vs, rs, admin));
    }

    /**
     * Adds runtime backend {@code rs} to {@code vs} at {@code weight}, enabled: written to the file
     * first, kept only once written.
     *
     * @throws IOException when the file cannot be written (nothing changed)
     */
    synchronized void add(String vs, BackendKey rs, int weight) throws IOException {
        change(() -> {
            added.computeIfAbsent(vs, k -> new LinkedHashMap<>()).put(rs, weight);
            put(vs, rs, BackendAdmin.DEFAULT);
        });
    }

    /**
     * Forgets runtime backend {@code rs} of {@code vs} and its state (the kernel then drains it as
     * it drains a backend a reload removes): written to the file first, kept only once written.
     *
     * @throws IOException when the file cannot be written (nothing changed)
     */
    synchronized void remove(String vs, BackendKey rs) throws IOException {
        change(() -> {
            unadd(vs, rs);
            put(vs, rs, BackendAdmin.DEFAULT);
        });
    }

    /** Whether {@code rs} is a runtime backend of {@code vs}. */
    synchronized boolean isAdded(String vs, BackendKey rs) {
        return added.getOrDefault(vs, Map.of()).containsKey(rs);
    }

    /** Makes {@code edit} in memory, writes the file, and publishes; undoes the edit when the write fails. */
    private void change(Runnable edit) throws IOException {
        Map<String, Map<BackendKey, BackendAdmin>> before = copy(states);
        Map<String, Map<BackendKey, Integer>> addedBefore = copy(added);
        edit.run();
        try {
            save();
        } catch (IOException e) {
            states = before;
            added = addedBefore;
            throw e;
        }
        TestHook.afterStateWrite(file);
        publish();
    }

    private void unadd(String vs, BackendKey rs) {
        Map<BackendKey, Integer> m = added.get(vs);
        if (m != null) {
            m.remove(rs);
            if (m.isEmpty()) {
                added.remove(vs);
            }
        }
    }

    private void put(String vs, BackendKey rs, BackendAdmin admin) {
        if (admin.isDefault()) {
            Map<BackendKey, BackendAdmin> m = states.get(vs);
            if (m != null) {
                m.remove(rs);
                if (m.isEmpty()) {
                    states.remove(vs);
                }
            }
        } else {
            states.computeIfAbsent(vs, k -> new LinkedHashMap<>()).put(rs, admin);
        }
    }

    /**
     * Drops the states of virtual servers and backends that {@code s} no longer has (a reload, or a
     * start with an edited file); returns one line per state dropped, for the log.
     */
    synchronized List<String> retain(IpvsSettings s) {
        List<String> dropped = new ArrayList<>();
        boolean changed = false;
        for (var vs : new ArrayList<>(added.entrySet())) {
            VirtualServer v = s.virtualServers().get(vs.getKey());
            for (var rs : new ArrayList<>(vs.getValue().entrySet())) {
                String name = vs.getKey() + " " + rs.getKey();
                Optional<String> cannot = v == null ? Optional.of("the virtual server is no longer in the config")
                        : RuntimeBackends.problem(v, rs.getKey());
                if (v != null && v.realServers().stream().anyMatch(r -> r.key().equals(rs.getKey()))) {
                    // The file wins: the backend is the file's now, at the file's weight; an
                    // operator's drain, disable or runtime weight on it stays (it is the same backend).
                    log.info("runtime backend {} is in the config now: a config backend from here on, at the config's"
                            + " weight (it was added at weight {}); its runtime state stays: {}", name, rs.getValue(),
                            get(vs.getKey(), rs.getKey()).describe());
                    unadd(vs.getKey(), rs.getKey());
                    changed = true;
                } else if (cannot.isPresent()) {
                    dropped.add("runtime backend " + name + " (added at weight " + rs.getValue() + "): " + cannot.get());
                    unadd(vs.getKey(), rs.getKey());
                    put(vs.getKey(), rs.getKey(), BackendAdmin.DEFAULT);
                    changed = true;
                }
            }
        }
        for (var vs : new ArrayList<>(states.entrySet())) {
            VirtualServer v = s.virtualServers().get(vs.getKey());
            Set<BackendKey> keys = new HashSet<>();
            if (v != null) {
                v.realServers().stream().map(RealServer::key).forEach(keys::add);
            }
            keys.addAll(added.getOrDefault(vs.getKey(), Map.of()).keySet());
            for (var rs : new ArrayList<>(vs.getValue().entrySet())) {
                if (!keys.contains(rs.getKey())) {
                    dropped.add(vs.getKey() + " " + rs.getKey() + " (" + rs.getValue().describe() + "): "
                            + (v == null ? "the virtual server" : "the backend") + " is no longer in the config");
                    put(vs.getKey(), rs.getKey(), BackendAdmin.DEFAULT);
                }
            }
        }
        if (changed || !dropped.isEmpty()) {
            try {
                save();
            } catch (IOException e) {
                // The states are gone from memory; the next change or reload writes the file again.
                log.warn("cannot write the runtime state {}: {}", file, e.getMessage());
            }
            publish();
        }
        return dropped;
    }

    /**
     * Drops runtime backend {@code rs} of {@code vs} and its state, as {@link #retain} drops one the
     * config no longer allows (here: one the engine cannot program beside the file's backends). A
     * file that cannot be written is logged: the backend is gone from memory, and the next change
     * writes the file again.
     */
    synchronized void drop(String vs, BackendKey rs) {
        unadd(vs, rs);
        put(vs, rs, BackendAdmin.DEFAULT);
        try {
            save();
        } catch (IOException e) {
            log.warn("cannot write the runtime state {}: {}", file, e.getMessage());
        }
        publish();
    }

    /** Every backend state that is not the default, by virtual server and backend (any thread). */
    public Map<String, Map<BackendKey, BackendAdmin>> view() {
        return view;
    }

    /** The runtime backends with the weight each was added at, by virtual server (any thread). */
    public Map<String, Map<BackendKey, Integer>> added() {
        return addedView;
    }

    private void publish() {
        view = Map.copyOf(copy(states));
        // In the order added, as the file and the log list them.
        Map<String, Map<BackendKey, Integer>> a = new LinkedHashMap<>();
        added.forEach((vs, rs) -> a.put(vs, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rs))));
        addedView = java.util.Collections.unmodifiableMap(a);
    }

    private static <V> Map<String, Map<BackendKey, V>> copy(Map<String, Map<BackendKey, V>> m) {
        Map<String, Map<BackendKey, V>> c = new LinkedHashMap<>();
        m.forEach((vs, rs) -> c.put(vs, new LinkedHashMap<>(rs)));
        return c;
    }

    /**
     * The VRRP instances in the operator's maintenance, as the file has them; the file is read
     * first if no data plane read it yet (a config with VRRP only).
     */
    public synchronized java.util.SortedSet<String> maintenance() {
        if (!loaded) {
            load();
        }
        return java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(maintenance));
    }

    /**
     * Sets the VRRP instances in maintenance: written to the file first, kept only once written.
     *
     * @throws IOException when the file cannot be written (nothing changed)
     */
    public synchronized void setMaintenance(java.util.Set<String> instances) throws IOException {
        java.util.SortedSet<String> before = maintenance;
        maintenance = new java.util.TreeSet<>(instances);
        try {
            save();
        } catch (IOException e) {
            maintenance = before;
            throw e;
        }
    }

    private synchronized void save() throws IOException {
        if (file == null) {
            return;
        }
        List<Entry> entries = new ArrayList<>();
        states.forEach((vs, rs) -> rs.forEach((k, a) -> {
            if (!isAdded(vs, k)) {
                entries.add(new Entry(vs, k.address().getHostAddress(), k.port(), a.state().label(), a.weight(), null, null));
            }
        }));
        added.forEach((vs, rs) -> rs.forEach((k, w) -> {
            BackendAdmin a = get(vs, k);
            entries.add(new Entry(vs, k.address().getHostAddress(), k.port(), a.state().label(), a.weight(), RUNTIME, w));
        }));
        byte[] bytes = MAPPER.writeValueAsBytes(new Document("vipkeeper runtime backend states, runtime backends and VRRP"
                + " maintenance of this node only; written by the daemon, vipkeeper backend and vipkeeper vrrp change them",
                entries, List.copyOf(maintenance)));
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** "web 198.18.1.13:8080 drained; ..." for the log. */
    static String describe(Map<String, Map<BackendKey, BackendAdmin>> states) {
        List<String> parts = new ArrayList<>();
        states.forEach((vs, rs) -> rs.forEach((k, a) -> parts.add(vs + " " + k + " " + a.describe())));
        return String.join("; ", parts);
    }

    /** "web 198.18.1.13:8080 weight 1; ..." for the log. */
    static String describeAdded(Map<String, Map<BackendKey, Integer>> added) {
        List<String> parts = new ArrayList<>();
        added.forEach((vs, rs) -> rs.forEach((k, w) -> parts.add(vs + " " + k + " weight " + w)));
        return String.join("; ", parts);
    }

    /** The file (null in memory). */
    Optional<Path> file() {
        return Optional.ofNullable(file);
    }
}
