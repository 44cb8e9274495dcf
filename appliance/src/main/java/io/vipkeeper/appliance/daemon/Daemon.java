package io.vipkeeper.appliance.daemon;

import io.vipkeeper.appliance.api.ReloadResult;
import io.vipkeeper.appliance.Version;
import io.vipkeeper.appliance.config.ConfigCache;
import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.ConfigProblem;
import io.vipkeeper.appliance.config.InvalidConfigException;
import io.vipkeeper.appliance.config.NodeChoice;
import io.vipkeeper.appliance.config.ReloadGuard;
import io.vipkeeper.appliance.config.Settings;
import io.vipkeeper.appliance.ipvs.genl.IpvsReads;
import io.vipkeeper.appliance.logging.Logging;
import io.vipkeeper.appliance.pool.DataPlaneManager;
import io.vipkeeper.appliance.dataplane.DataPlaneStatus;
import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.pool.KernelNatSetup;
import io.vipkeeper.appliance.pool.NatSetup;
import io.vipkeeper.appliance.pool.OwnedServices;
import io.vipkeeper.appliance.pool.RuntimeState;
import java.util.function.Supplier;
import io.vipkeeper.appliance.pool.Nft;
import io.vipkeeper.appliance.vrrp.VrrpRuntime;
import io.vipkeeper.vrrp.fsm.RouterState;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vipkeeper.appliance.api.ApiServer;
import io.vipkeeper.appliance.api.StatusInputs;
import io.vipkeeper.appliance.health.HealthMonitor;
import io.vipkeeper.appliance.health.RealServerHealth;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.vrrp.fsm.VirtualRouter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's lifecycle: load the config (refuse to start on any problem), program IPVS and keep
 * it so, start VRRP, run until
 * SIGTERM/SIGINT (masters send priority 0 and remove their VIPs, exit 0). SIGHUP reloads: a bad file is reported with every problem and the running
 * settings stay in force; a good one replaces them and the difference is logged. SIGUSR1 and
 * SIGUSR2 write the data and stats dumps; see {@link Signals} for every other signal.
 */
public final class Daemon implements StatusInputs {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final Path configFile;
    /** The node whose view of the file every load reads, reloads too. */
    private final NodeChoice node;
    private final int verbosity;
    private final RunFiles runFiles;
    private final Path reloadFile;
    private final DataPlaneSelector engines;
    /** The engine this daemon runs, fixed by the first load. */
    private volatile DataPlaneSelector.Engine engine;
    private final NatSetup natSetup;
    /** What an engine's earlier runs owned, by engine name. */
    private final java.util.function.Function<String, OwnedServices> owned;
    /** The operator's runtime backend states, kept for the next start (one per data plane manager). */
    private final Supplier<RuntimeState> runtime;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    /** Set by the first SIGTERM/SIGINT; from then on SIGHUP reloads nothing. */
    private volatile boolean stopping;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Settings settings;
    private final Instant startedAt = Instant.now();
    private volatile Instant loadedAt = startedAt;
    private volatile ReloadResult lastReload;
    private final AtomicLong reloadsOk = new AtomicLong();
    private final AtomicLong reloadsFailed = new AtomicLong();
    /** Set before IPVS starts; read by the status API. */
    private volatile HealthMonitor health;
    /** Reloads re-read only included files and virtual servers that changed. */
    private final ConfigCache configCache = ConfigCache.create();
    private volatile VrrpRuntime vrrp;
    /** Health checks run on this group (never the VRRP loop). */
    private MultiThreadIoEventLoopGroup group;
    /** The status API's own loop, so a flood of API connections cannot delay a health check. */
    private MultiThreadIoEventLoopGroup apiGroup;
    private ApiServer api;
    private java.net.InetSocketAddress apiListen;
    /** Read on the VRRP loop by the transition listener. */
    private volatile DataPlaneManager ipvs;
    private final SystemdNotify systemd = SystemdNotify.fromEnvironment();
    /** What happened, for GET /events. */
    private final DaemonEvents events = new DaemonEvents();
    /** The bgp VIPs' announcer, once the config has one. */
    private volatile io.vipkeeper.appliance.bgp.BgpAnnouncer bgp;

    /** Where the daemon keeps state across restarts (systemd's StateDirectory=vipkeeper). */
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/vipkeeper");

    public Daemon(Path configFile, NodeChoice node, int verbosity, RunFiles runFiles, Path stateDir) {
        this(configFile, node, verbosity, runFiles, DataPlaneSelector.forKernel(IpvsReads::open),
                new KernelNatSetup(new Nft("nft")), engine -> OwnedServices.in(stateDir.resolve(engine + "-owned")),
                () -> RuntimeState.in(stateDir.resolve(RUNTIME_STATE)));
    }

    /** The operator's runtime backend states in the state directory (vipkeeper backend ...). */
    static final String RUNTIME_STATE = "runtime-state.json";

    /** A daemon on another IPVS kernel interface and NAT setup (benchmarks on a host without IPVS). */
    Daemon(Path configFile, int verbosity, Path pidFile, Supplier<IpvsKernel> ipvsKernel, NatSetup natSetup) {
        this(configFile, NodeChoice.HOST_NAME, verbosity, RunFiles.forPidFile(pidFile),
                DataPlaneSelector.forKernel(ipvsKernel), natSetup,
                engine -> OwnedServices.NONE, RuntimeState::inMemory);
    }

    /** A SIGHUP came while starting (guarded by this). */
    private boolean reloadOnceStarted;

    private Daemon(Path configFile, NodeChoice node, int verbosity, RunFiles runFiles, DataPlaneSelector engines,
            NatSetup natSetup,
            java.util.function.Function<String, OwnedServices> owned, Supplier<RuntimeState> runtime) {
        this.owned = owned;
        this.runtime = runtime;
        this.engines = engines;
        this.natSetup = natSetup;
        this.configFile = configFile;
        this.node = node.fixed();
        this.verbosity = verbosity;
        this.runFiles = runFiles;
        this.reloadFile = runFiles.reloadResult();
    }

    /** Runs until asked to stop; returns the process exit status. */
    public int run() throws InterruptedException {
        // First of all: a signal's default action ends the process, and reading the config and
        // claiming the pid file take a second or more, in which a SIGHUP or SIGUSR1 (a start
        // script's reload, a monitoring habit) killed the daemon with no log line (found by review).
        // At INFO until the config says otherwise: what installing the handlers says (a signal the
        // daemon was started with ignored) must not be lost to the CLI's WARN.
        Logging.configure(io.vipkeeper.appliance.config.LogLevel.INFO, verbosity);
        DumpFiles dumps = new DumpFiles(runFiles, this);
        // The file is read on a thread of its own while this one binds libc for the handlers: on
        // two cores the two overlap (a 100 x 100 file reads in about a second, the first jnr-ffi
        // binding takes 0.2-0.5 s). Nothing reads the settings before the handlers are in place.
        FutureTask<Settings> reading = new FutureTask<>(() -> ConfigLoader.loadToRun(configFile, configCache, engines, node));
        new Thread(reading, "config").start();
        Signals.install(this::requestStop, this::reload, () -> onceStarted("USR1", dumps::writeData),
                () -> onceStarted("USR2", dumps::writeStats));
        try {
            settings = awaitConfig(reading);
        } catch (InvalidConfigException e) {
            logProblems(e);
            log.error("not starting: {} has {} problem(s)", configFile, e.problems().size());
            return 1;
        }
        Logging.configure(settings.logLevel(), verbosity);
        logWarnings(settings);
        engine = engines.resolve(settings.dataPlane().choice());
        engines.fix(engine);
        log.info("data plane: {} ({})", engine.name(), engine.choice().reason());
        EngineLeftovers.removeForeignTo(engine.name());
        PidFile pid;
        try {
            pid = PidFile.claim(runFiles.pidFile());
        } catch (IllegalStateException e) {
            log.error("not starting: {}", e.getMessage());
            return 1;
        }
        try {
            // The pid file made its own directory; a --pid-file elsewhere leaves the run directory to us.
            try {
                java.nio.file.Files.createDirectories(runFiles.dir());
            } catch (java.io.IOException e) {
                log.error("run directory {}: {}", runFiles.dir(), e.getMessage());
            }
            writeReloadFile(0, new ReloadResult(startedAt, true, List.of(), "started"));
            return runWith();
        } finally {
            ReloadResultFile.remove(reloadFile);
            pid.release();
        }
    }

    /** What the config thread read, its exception rethrown as the load threw it. */
    private static Settings awaitConfig(FutureTask<Settings> reading) throws InvalidConfigException, InterruptedException {
        try {
            return reading.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidConfigException invalid) {
                throw invalid;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    private int runWith() throws InterruptedException {
        log.info("{} starting as {} from {}: {}", Version.line(), settings.nodeName(), configFile, settings.counts());
        group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("checks", true),
                EpollIoHandler.newFactory());
        apiGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("api", true), EpollIoHandler.newFactory());
        // Health before IPVS: the first programming already leaves out servers that start down.
        health = new HealthMonitor(group, (vs, rs, up, reason) -> {
            events.health(vs, rs, up, reason);
            DataPlaneManager m = ipvs;
            if (m != null) {
                m.health(vs, rs, up, reason);
            }
        });
        health.apply(settings.ipvs());
        // IPVS first, so the services exist before this host may take the VIPs.
        startIpvs(settings);
        startBgp(settings);
        try {
            startVrrp(settings);
        } catch (RuntimeException e) {
            log.error("not starting: VRRP failed to start: {}", e.getMessage(), e);
            stopVrrp();
            stopBgp();
            stopIpvs();
            health.close();
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
            apiGroup.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
            return 1;
        }
        startApi(settings);
        boolean reloadNow;
        synchronized (this) {
            started.countDown();
            reloadNow = reloadOnceStarted;
        }
        systemd.notify("READY=1\nSTATUS=running " + settings.counts());
        events.daemon(settings.nodeName(), "started");
        phaseBgp(io.vipkeeper.appliance.bgp.AnnounceDecision.Phase.RUNNING);
        // The reconcile loop has no listeners: its problems are looked at once a second.
        var problems = apiGroup.scheduleAtFixedRate(() -> events.dataPlane(engine.name(), ipvs()), 1, 1,
                java.util.concurrent.TimeUnit.SECONDS);
        if (reloadNow) {
            reload();
        }
        stopRequested.await();
        problems.cancel(false);
        events.daemon(settings.nodeName(), "stopping");
        // Withdraw first, so the routers move flows to the other directors while this one still
        // forwards them; only then stop the rest.
        withdrawBgp();
        stopApi();
        stopVrrp();
        health.close();
        stopBgp();
        stopIpvs();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        apiGroup.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        log.info("stopped");
        return 0;
    }

    private synchronized void startVrrp(Settings s) {
        if (vrrp == null && !s.vrrp().instances().isEmpty()) {
            vrrp = new VrrpRuntime(s.vrrp(), maintenanceStore());
            vrrp.addTransitionListener(events.transitions());
            vrrp.addTransitionListener(t -> {
                DataPlaneManager m = ipvs;
                if (m != null) {
                    m.vrrpState(t.router(), t.to() == RouterState.MASTER);
                }
            });
            vrrp.start(s.vrrp());
        }
    }

    private synchronized void startBgp(Settings s) {
        if (bgp == null && !s.bgp().isEmpty()) {
            bgp = new io.vipkeeper.appliance.bgp.BgpAnnouncer(
                    () -> io.vipkeeper.appliance.bgp.TunDevice.open(settings.bgp().device()), new BgpInputs(),
                    events::bgp, java.time.Clock.systemUTC());
            bgp.apply(s.bgp());
        }
    }

    private void phaseBgp(io.vipkeeper.appliance.bgp.AnnounceDecision.Phase phase) {
        io.vipkeeper.appliance.bgp.BgpAnnouncer b = bgp;
        if (b != null) {
            b.phase(phase);
        }
    }

    /** Withdraws every bgp VIP, then waits bgp.withdraw-wait for the routers to move the flows. */
    private void withdrawBgp() throws InterruptedException {
        if (bgp != null) {
            phaseBgp(io.vipkeeper.appliance.bgp.AnnounceDecision.Phase.STOPPING);
            log.info("bgp: withdrawn; stopping the rest in {}",
                    io.vipkeeper.appliance.config.Durations.format(settings.bgp().withdrawWait()));
            Thread.sleep(settings.bgp().withdrawWait().toMillis());
        }
    }

    private synchronized void stopBgp() {
        if (bgp != null) {
            bgp.close();
            bgp = null;
        }
    }

    /** What the bgp announcer decides from: the settings, the data plane's table and the quorums. */
    private final class BgpInputs implements io.vipkeeper.appliance.bgp.BgpAnnouncer.Inputs {
        @Override
        public java.util.Collection<io.vipkeeper.appliance.config.VirtualServer> virtualServers() {
            return settings.ipvs().virtualServers().values();
        }

        @Override
        public io.vipkeeper.appliance.bgp.AnnounceDecision.DataPlaneView dataPlane() {
            DataPlaneManager m = ipvs;
            if (m == null) {
                return io.vipkeeper.appliance.bgp.AnnounceDecision.DataPlaneView.NONE;
            }
            DataPlaneStatus st = m.status();
            return new io.vipkeeper.appliance.bgp.AnnounceDecision.DataPlaneView(
                    st.lastTable().map(t -> java.util.Set.copyOf(t.keySet())), st.lastError());
        }

        @Override
        public Map<String, Boolean> quorums() {
            DataPlaneManager m = ipvs;
            return m == null ? Map.of() : m.quorums();
        }
    }

    /** The bgp VIPs and why each is announced or not; empty without a bgp section. */
    @Override
    public List<io.vipkeeper.appliance.bgp.BgpAnnouncer.VipState> bgp() {
        io.vipkeeper.appliance.bgp.BgpAnnouncer b = bgp;
        return b == null ? List.of() : b.states();
    }

    /** The one runtime state of this daemon: backends and VRRP maintenance share its file. */
    private synchronized RuntimeState runtimeState() {
        if (runtimeState == null) {
            runtimeState = runtime.get();
        }
        return runtimeState;
    }

    private RuntimeState runtimeState;

    /** The VRRP maintenance kept beside the backend states, in the same file. */
    private io.vipkeeper.appliance.vrrp.Maintenance.Store maintenanceStore() {
        RuntimeState state = runtimeState();
        return new io.vipkeeper.appliance.vrrp.Maintenance.Store() {
            @Override
            public java.util.Set<String> load() {
                return state.maintenance();
            }

            @Override
            public void save(java.util.Set<String> instances) throws java.io.IOException {
                state.setMaintenance(instances);
            }
        };
    }

    private synchronized void startIpvs(Settings s) {
        if (ipvs == null && (!s.ipvs().virtualServers().isEmpty() || s.ipvs().syncDaemon().isPresent())) {
            DataPlaneManager m = new DataPlaneManager(engine.name(), engine.opener(), natSetup, health, owned.apply(engine.name()),
                    runtimeState());
            m.checkWith(health::apply);
            m.bgpVips(!s.bgp().isEmpty());
            if (vrrp != null) {
                vrrp.routers().forEach((name, r) -> m.vrrpState(name, r.state() == RouterState.MASTER));
            }
            m.start(s.ipvs());
            ipvs = m;
        }
    }

    /**
     * The status API on the control socket in the run directory (always, so commands need no
     * config) and on {@code api.listen} when set; a listener that cannot bind is logged, and the
     * TCP one retried at the next reload.
     */
    private synchronized void startApi(Settings s) {
        if (api == null) {
            api = new ApiServer(apiGroup, this);
            try {
                api.listenLocal(runFiles.socket());
            } catch (RuntimeException e) {
                log.error("{}; running without it", e.getMessage());
            }
        }
        if (api.listensOnTcp() || s.apiListen().isEmpty()) {
            return;
        }
        try {
            api.start(s.apiListen().get());
            apiListen = s.apiListen().get(); // ApiServer.start says where it listens
        } catch (RuntimeException e) {
            api.closeTcp();
            log.error("{}; running without it", e.getMessage());
        }
    }

    private synchronized void stopApi() {
        if (api != null) {
            api.close();
            api = null;
        }
    }

    private synchronized void stopIpvs() {
        if (ipvs != null) {
            ipvs.close();
            ipvs = null;
        }
    }

    private synchronized void stopVrrp() {
        if (vrrp != null) {
            vrrp.close();
            vrrp = null;
        }
    }

    /** The settings in force. */
    @Override
    public Settings settings() {
        return settings;
    }

    /**
     * Re-reads the config file; keeps the running settings if it has any problem. Once stopping it
     * does nothing: a reload then would start again what the shutdown has just stopped.
     */
    void reload() {
        reload("SIGHUP");
    }

    /**
     * Reloads as {@link #reload()} does, for {@code who} ("SIGHUP", a control socket peer), and
     * returns the outcome. Reloads serialize on this daemon's lock: one that comes while another
     * runs waits, then re-reads the file itself. While starting the reload is put off until started,
     * and while stopping it is ignored; either answer starts with {@link io.vipkeeper.appliance.api.ReloadControl#NOT_NOW}.
     */
    ReloadResult reload(String who) {
        // Checked again under the lock: a reload may have waited for it while the shutdown held it.
        if (ignoredWhileStopping(who)) {
            return notNow("vipkeeper is stopping; nothing was reloaded");
        }
        synchronized (this) {
            if (ignoredWhileStopping(who)) {
                return notNow("vipkeeper is stopping; nothing was reloaded");
            }
            if (started.getCount() > 0) {
                // The file read at start may be older than the edit this signal announces.
                reloadOnceStarted = true;
                log.info("{} while starting: reloading once started", who);
                return notNow("vipkeeper is starting; it reloads once started (see vipkeeper status)");
            }
            systemd.notify("RELOADING=1");
            try {
                log.info("reload asked by {}", who);
                return reloadNow();
            } finally {
                systemd.notify("READY=1");
            }
        }
    }

    private static ReloadResult notNow(String why) {
        return new ReloadResult(Instant.now(), false, List.of(), io.vipkeeper.appliance.api.ReloadControl.NOT_NOW + why);
    }

    @Override
    public Optional<io.vipkeeper.appliance.api.ReloadControl> reloadControl() {
        return Optional.of(this::reload);
    }

    private boolean ignoredWhileStopping(String who) {
        boolean ignored = stopping;
        if (ignored) {
            log.info("{} ignored: vipkeeper is stopping", who);
        }
        return ignored;
    }

    private ReloadResult reloadNow() {
        log.info("reloading {}", configFile);
        Settings next;
        try {
            next = logWarnings(ConfigLoader.loadToRun(configFile, configCache, engines, node));
            ReloadGuard.check(settings, next);
            DataPlaneManager running = ipvs;
            if (running != null) {
                ReloadGuard.checkRuntimeBackends(next, running.runtimeConflicts(next.ipvs()));
            }
        } catch (InvalidConfigException e) {
            logProblems(e);
            String summary = configFile + " has " + e.problems().size() + " problem(s); still running the previous config";
            log.error("reload failed: {}", summary);
            return recordReload(new ReloadResult(Instant.now(), false,
                    e.problems().stream().map(ConfigProblem::format).toList(), summary));
        } catch (RuntimeException | Error e) {
            // A loader bug must not end the SIGHUP thread unrecorded: the operator's reload
            // command would wait for a result that never comes.
            String summary = "cannot load " + configFile + " (" + e + "); still running the previous config";
            log.error("reload failed: {}", summary, e);
            return recordReload(new ReloadResult(Instant.now(), false, List.of(String.valueOf(e)), summary));
        }
        try {
            SettingsDiff diff = SettingsDiff.between(settings, next);
            if (next.logLevel() != settings.logLevel()) {
                Logging.configure(next.logLevel(), verbosity);
            }
            settings = next;
            loadedAt = Instant.now();
            if (ipvs != null) {
                // The manager hands the health monitor the file's backends with the runtime ones.
                ipvs.bgpVips(!next.bgp().isEmpty());
                ipvs.apply(next.ipvs());
            } else {
                health.apply(next.ipvs());
                startIpvs(next);
            }
            if (bgp != null) {
                bgp.apply(next.bgp());
            } else {
                startBgp(next);
                phaseBgp(io.vipkeeper.appliance.bgp.AnnounceDecision.Phase.RUNNING);
            }
            if (vrrp != null) {
                vrrp.apply(next.vrrp(), diff.vrrp());
            } else {
                startVrrp(next);
            }
            if (!next.apiListen().equals(Optional.ofNullable(apiListen))) {
                if (api != null) {
                    api.closeTcp();
                }
                apiListen = null;
            }
            startApi(next);
            log.info("reload succeeded: {}", diff);
            return recordReload(new ReloadResult(Instant.now(), true, List.of(), diff.toString()));
        } catch (RuntimeException | Error e) {
            log.error("reload applied only in part: {}", e.getMessage(), e);
            return recordReload(new ReloadResult(Instant.now(), false, List.of(String.valueOf(e.getMessage())),
                    "applied only in part"));
        }
    }

    /** Waits until IPVS is programmed and VRRP runs (benchmarks, tests). */
    boolean awaitStarted(long seconds) throws InterruptedException {
        return started.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Asks the daemon to stop, as SIGTERM does. */
    void stop() {
        requestStop();
    }

    /**
     * Records a reload's outcome and counts it, in that order: a status that shows the new count
     * (it reads the counts first) shows this result or a newer one, never the one before.
     */
    private ReloadResult recordReload(ReloadResult r) {
        lastReload = r;
        events.reload(r);
        long sequence = r.ok() ? reloadsOk.incrementAndGet() + reloadsFailed.get()
                : reloadsFailed.incrementAndGet() + reloadsOk.get();
        writeReloadFile(sequence, r);
        return r;
    }

    private void writeReloadFile(long sequence, ReloadResult r) {
        ReloadResultFile.write(reloadFile, sequence, r).ifPresent(problem -> log.warn("reload result: {}", problem));
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public Instant loadedAt() {
        return loadedAt;
    }

    @Override
    public Optional<ReloadResult> lastReload() {
        return Optional.ofNullable(lastReload);
    }

    @Override
    public long reloadsOk() {
        return reloadsOk.get();
    }

    @Override
    public long reloadsFailed() {
        return reloadsFailed.get();
    }

    @Override
    public Map<String, VirtualRouter> routers() {
        VrrpRuntime v = vrrp;
        return v == null ? Map.of() : v.routers();
    }

    @Override
    public Optional<io.vipkeeper.vrrp.fsm.ReceiveCounters> vrrpReceive() {
        VrrpRuntime v = vrrp;
        return v == null ? Optional.empty() : Optional.of(v.receiveCounters());
    }

    @Override
    public Optional<io.vipkeeper.appliance.dataplane.EngineChoice> dataPlane() {
        return Optional.ofNullable(engine).map(DataPlaneSelector.Engine::choice);
    }

    @Override
    public Optional<DataPlaneStatus> ipvs() {
        return Optional.ofNullable(ipvs).map(DataPlaneManager::status);
    }

    @Override
    public Map<String, Map<BackendKey, RealServerHealth>> health() {
        HealthMonitor h = health;
        return h == null ? Map.of() : h.health();
    }

    @Override
    public Map<String, Map<BackendKey, io.vipkeeper.appliance.pool.BackendAdmin>> runtimeStates() {
        DataPlaneManager m = ipvs;
        return m == null ? Map.of() : m.runtimeStates();
    }

    @Override
    public Map<String, List<io.vipkeeper.appliance.config.RealServer>> runtimeBackends() {
        DataPlaneManager m = ipvs;
        return m == null ? Map.of() : m.runtimeBackends();
    }

    @Override
    public Optional<io.vipkeeper.appliance.api.BackendControl> backendControl() {
        DataPlaneManager m = ipvs;
        return m == null ? Optional.empty() : Optional.of(events.control(m::backend));
    }

    @Override
    public Optional<io.vipkeeper.appliance.events.EventBus> events() {
        return Optional.of(events.bus());
    }

    @Override
    public Optional<io.vipkeeper.appliance.api.VrrpControl> vrrpControl() {
        VrrpRuntime v = vrrp;
        return v == null ? Optional.empty() : Optional.of(events.maintenance(v::maintenance));
    }

    /** Runs a dump once the daemon runs; before, there is nothing to dump yet. */
    private void onceStarted(String signal, Runnable dump) {
        if (started.getCount() > 0) {
            log.info("SIG{} while starting: nothing to dump yet", signal);
        } else {
            dump.run();
        }
    }

    private void requestStop() {
        stopping = true;
        log.info("stopping");
        systemd.notify("STOPPING=1");
        stopRequested.countDown();
    }

    /** Logs what the operator should fix in a file that loaded (a world-readable secret). */
    private static Settings logWarnings(Settings s) {
        s.warnings().forEach(w -> log.warn("{}", w));
        return s;
    }

    private static void logProblems(InvalidConfigException e) {
        for (ConfigProblem p : e.problems()) {
            log.error("{}", p.format());
        }
    }
}
