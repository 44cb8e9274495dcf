package io.vipkeeper.appliance.api;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.Settings;
import io.vipkeeper.appliance.api.ReloadResult;
import io.vipkeeper.appliance.health.RealServerHealth;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.dataplane.TrafficCounters;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.ipvs.SyncDaemonState;
import io.vipkeeper.appliance.pool.DataPlaneManager;
import io.vipkeeper.appliance.pool.NatSetup;
import io.vipkeeper.vrrp.codec.DropReason;
import io.vipkeeper.vrrp.fsm.RouterActions;
import io.vipkeeper.vrrp.fsm.RouterConfig;
import io.vipkeeper.vrrp.fsm.VirtualClock;
import io.vipkeeper.vrrp.fsm.VirtualRouter;
import io.vipkeeper.vrrp.protocol.V2AuthType;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpMulticast;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A daemon's state built by hand for the status API's tests: a real config file, real virtual
 * routers on a virtual clock (web MASTER, db BACKUP, mail FAULT), a real DataPlaneManager over a kernel
 * table with counters (web in the kernel, dns not), and health results (one up, one down, one
 * unchecked).
 */
final class StatusFixture implements StatusInputs, AutoCloseable {
    static final Instant STARTED = Instant.parse("2026-11-23T10:00:00Z");
    static final String CONF = """
            vipkeeper {
              node-name = "lb1"
              api.listen = "127.0.0.1:9180"
              vrrp.instances {
                web { interface = "eth0", virtual-router-id = 51, priority = 150, virtual-ips = ["198.18.0.100/24"] }
                db { interface = "eth1", virtual-router-id = 52, priority = 100, virtual-ips = ["198.18.0.101/24"] }
                mail { interface = "eth2", virtual-router-id = 53, priority = 90, virtual-ips = ["198.18.0.102/24"] }
              }
              ipvs {
                reconcile-interval = 5s
                virtual-servers {
                  web {
                    address = "198.18.0.100", port = 80, scheduler = wrr
                    real-servers = [
                      { address = "198.18.1.1", port = 8080, weight = 1 }
                      { address = "198.18.1.2", port = 8080, weight = 2 }
                      { address = "198.18.1.3", port = 8080, weight = 3, health-check { type = none } }
                    ]
                  }
                  dns { address = "198.18.0.100", port = 53, protocol = udp, real-servers = [{ address = "198.18.1.1" }] }
                }
              }
            }
            """;
    static final BackendKey RS1 = dest("198.18.1.1", 8080);
    static final BackendKey RS2 = dest("198.18.1.2", 8080);
    static final BackendKey RS3 = dest("198.18.1.3", 8080);
    static final ServiceKey WEB = ServiceKey.of(TransportProtocol.TCP, ip("198.18.0.100"), 80);

    final VirtualClock vrrpClock = new VirtualClock();
    /** The wall clock: moved by tests to age the kernel table. */
    Clock wall = Clock.fixed(STARTED.plusSeconds(60), ZoneOffset.UTC);
    final Settings settings;
    final Map<String, VirtualRouter> routers = new LinkedHashMap<>();
    Optional<DataPlaneManager> ipvs;
    Optional<ReloadResult> lastReload = Optional.empty();
    long reloadsOk;
    long reloadsFailed;
    final Map<String, Map<BackendKey, RealServerHealth>> health = new LinkedHashMap<>();
    final FixedKernel kernel = new FixedKernel();
    /** Runtime backends (vipkeeper backend add) by virtual server, as the data plane manager has them. */
    final Map<String, List<io.vipkeeper.appliance.config.RealServer>> runtimeBackends = new LinkedHashMap<>();

    StatusFixture(Path dir) throws Exception {
        this(dir, CONF);
    }

    StatusFixture(Path dir, String conf) throws Exception {
        Path file = dir.resolve("vipkeeper.conf");
        Files.writeString(file, conf);
        settings = ConfigLoader.load(file);
        routers.put("web", router("web", 51, 150));
        routers.put("db", router("db", 52, 100));
        routers.put("mail", router("mail", 53, 90));
        routers.values().forEach(VirtualRouter::start);
        routers.get("mail").setFault("track-interface eth9", "eth9 is down");
        // Nobody advertises: web's Master_Down_Interval (3 s + 0.41 s skew) ends before db's (3.60 s).
        vrrpClock.advance(Duration.ofMillis(3500));
        routers.get("db").counters().dropped(DropReason.CHECKSUM);
        routers.get("db").counters().dropped(DropReason.CHECKSUM);
        routers.get("db").counters().dropped(DropReason.TTL);
        health.put("web", Map.of(
                RS1, new RealServerHealth(true, "connected", STARTED.plusSeconds(2), 30, 0, Duration.ofMillis(1)),
                RS2, new RealServerHealth(false, "connection refused", STARTED.plusSeconds(6), 30, 30,
                        Duration.ofMillis(1))));
        DataPlaneManager m = new DataPlaneManager(() -> kernel, NatSetup.NONE);
        m.start(settings.ipvs());
        // Waits for the run the start queued to read its changes back, so no run is left to race a test.
        m.reconcileNow();
        ipvs = Optional.of(m);
    }

    private VirtualRouter router(String name, int vrid, int priority) {
        RouterActions none = new RouterActions() {
            @Override
            public void sendAdvertisement(VrrpAdvertisement advertisement) {
            }

            @Override
            public void claimAddresses() {
            }

            @Override
            public void releaseAddresses() {
            }
        };
        VirtualRouter r = new VirtualRouter(RouterConfig.v3(name, vrid, priority, 100, ip("198.18.0.1"),
                List.of(ip("198.18.0." + (49 + vrid)))), vrrpClock, none);
        return r;
    }

    /**
     * A VRRPv2 advert (keepalived's default) from {@code peer} for the VRID and addresses of router
     * {@code name}, which speaks v3 and drops it as a version mismatch.
     */
    void v2AdvertFrom(String name, String peer) {
        VirtualRouter r = routers.get(name);
        r.receive(new InboundPacket(ip(peer), VrrpMulticast.IPV4, 255, new byte[0]), VrrpAdvertisement.v2(
                r.config().virtualRouterId(), 150, 1, r.config().virtualAddresses(), V2AuthType.NONE, new byte[8]));
    }

    /** What the assembler reads, on the fixture's clocks. */
    StatusAssembler assembler() {
        return new StatusAssembler(this, wall, vrrpClock::nanoTime);
    }

    static InetAddress ip(String s) {
        return NetUtil.createInetAddressFromIpAddressString(s);
    }

    static BackendKey dest(String address, int port) {
        return new BackendKey(ip(address), port);
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public Instant startedAt() {
        return STARTED;
    }

    @Override
    public Instant loadedAt() {
        return STARTED.plusSeconds(30);
    }

    @Override
    public Optional<ReloadResult> lastReload() {
        return lastReload;
    }

    @Override
    public long reloadsOk() {
        return reloadsOk;
    }

    @Override
    public long reloadsFailed() {
        return reloadsFailed;
    }

    @Override
    public Map<String, VirtualRouter> routers() {
        return routers;
    }

    @Override
    public Optional<io.vipkeeper.appliance.dataplane.DataPlaneStatus> ipvs() {
        return ipvs.map(DataPlaneManager::status);
    }

    @Override
    public Map<String, Map<BackendKey, RealServerHealth>> health() {
        return health;
    }

    @Override
    public Map<String, List<io.vipkeeper.appliance.config.RealServer>> runtimeBackends() {
        return runtimeBackends;
    }

    /** The bgp VIPs a test sets. */
    final List<io.vipkeeper.appliance.bgp.BgpAnnouncer.VipState> bgp = new java.util.ArrayList<>();

    @Override
    public List<io.vipkeeper.appliance.bgp.BgpAnnouncer.VipState> bgp() {
        return bgp;
    }

    @Override
    public void close() {
        ipvs.ifPresent(DataPlaneManager::close);
    }

    /**
     * A kernel whose table is what the test says (web with rs1 at weight 1 and rs2 drained to 0,
     * with counters; no dns): changes are acknowledged and not applied, as if another tool undid them.
     */
    static final class FixedKernel implements IpvsKernel {
        volatile Map<ServiceKey, ActualService> table = Map.of(WEB, new ActualService(
                new ServiceSpec(WEB, "wrr", 0, 0, 0xffffffffL),
                Map.of(RS1, new ActualBackend(new BackendSpec(RS1, Forwarding.NAT, 1, 0, 0), 7, 3, 0,
                                new TrafficCounters(120, 5000, 4000, 600_000, 9_000_000)),
                        RS2, new ActualBackend(new BackendSpec(RS2, Forwarding.NAT, 0, 0, 0), 0, 1, 0,
                                new TrafficCounters(40, 900, 800, 90_000, 1_000_000))),
                new TrafficCounters(160, 5900, 4800, 690_000, 10_000_000)));

        /** Adds a destination at weight 0 with {@code active} connections, as a drained one looks. */
        void addDest(ServiceKey service, BackendKey dest, long active) {
            Map<ServiceKey, ActualService> t = new LinkedHashMap<>(table);
            ActualService s = t.get(service);
            Map<BackendKey, ActualBackend> dests = new LinkedHashMap<>(s.dests());
            dests.put(dest, new ActualBackend(new BackendSpec(dest, Forwarding.NAT, 0, 0, 0), active, 0, 0, TrafficCounters.ZERO));
            t.put(service, new ActualService(s.spec(), dests, s.stats()));
            table = t;
        }

        @Override
        public Map<ServiceKey, ActualService> table() {
            return table;
        }

        @Override
        public List<Failure> apply(List<TableChange> ops) {
            return List.of();
        }

        @Override
        public List<SyncDaemonState> syncDaemons() {
            return List.of();
        }

        @Override
        public void startSyncDaemon(SyncDaemonState d) {
        }

        @Override
        public void stopSyncDaemon(int state) {
        }

        @Override
        public io.vipkeeper.appliance.ipvs.IpvsTimeouts timeouts() {
            return new io.vipkeeper.appliance.ipvs.IpvsTimeouts(900, 120, 300);
        }

        @Override
        public void setTimeouts(io.vipkeeper.appliance.ipvs.IpvsTimeouts t) {
        }

        @Override
        public void close() {
        }
    }
}
