package io.vipkeeper.appliance.daemon;

import io.vipkeeper.appliance.Version;
import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.ConfigProblem;
import io.vipkeeper.appliance.config.InvalidConfigException;
import io.vipkeeper.appliance.config.Settings;
import io.vipkeeper.appliance.ipvs.genl.IpvsClient;
import io.vipkeeper.appliance.logging.Logging;
import io.vipkeeper.appliance.pool.IpvsManager;
import io.vipkeeper.appliance.pool.KernelNatSetup;
import io.vipkeeper.appliance.pool.Nft;
import io.vipkeeper.appliance.vrrp.VrrpRuntime;
import io.vipkeeper.vrrp.fsm.RouterState;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's lifecycle: load the config (refuse to start on any problem), program IPVS and keep
 * it so, start VRRP, run until
 * SIGTERM/SIGINT (masters send priority 0 and remove their VIPs, exit 0). SIGHUP reloads: a bad file is reported with every problem and the running
 * settings stay in force; a good one replaces them and the difference is logged.
 */
public final class Daemon {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final Path configFile;
    private final int verbosity;
    private final Path pidFile;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile Settings settings;
    private VrrpRuntime vrrp;
    /** Read on the VRRP loop by the transition listener. */
    private volatile IpvsManager ipvs;

    public Daemon(Path configFile, int verbosity, Path pidFile) {
        this.configFile = configFile;
        this.verbosity = verbosity;
        this.pidFile = pidFile;
    }

    /** Runs until asked to stop; returns the process exit status. */
    public int run() throws InterruptedException {
        try {
            settings = ConfigLoader.load(configFile);
        } catch (InvalidConfigException e) {
            logProblems(e);
            log.error("not starting: {} has {} problem(s)", configFile, e.problems().size());
            return 1;
        }
        Logging.configure(settings.logLevel(), verbosity);
        PidFile pid;
        try {
            pid = PidFile.claim(pidFile);
        } catch (IllegalStateException e) {
            log.error("not starting: {}", e.getMessage());
            return 1;
        }
        try {
            return runWith();
        } finally {
            pid.release();
        }
    }

    private int runWith() throws InterruptedException {
        log.info("{} starting as {} from {}: {}", Version.line(), settings.nodeName(), configFile, settings.counts());
        Signals.handle("TERM", this::requestStop);
        Signals.handle("INT", this::requestStop);
        // Installed before VRRP starts so an early SIGHUP waits for the start (both synchronized).
        Signals.handle("HUP", this::reload);
        // IPVS first, so the services exist before this host may take the VIPs.
        startIpvs(settings);
        try {
            startVrrp(settings);
        } catch (RuntimeException e) {
            log.error("not starting: VRRP failed to start: {}", e.getMessage(), e);
            stopVrrp();
            stopIpvs();
            return 1;
        }
        stopRequested.await();
        stopVrrp();
        stopIpvs();
        log.info("stopped");
        return 0;
    }

    private synchronized void startVrrp(Settings s) {
        if (vrrp == null && !s.vrrp().instances().isEmpty()) {
            vrrp = new VrrpRuntime(s.vrrp());
            vrrp.addTransitionListener(t -> {
                IpvsManager m = ipvs;
                if (m != null) {
                    m.vrrpState(t.router(), t.to() == RouterState.MASTER);
                }
            });
            vrrp.start(s.vrrp());
        }
    }

    private synchronized void startIpvs(Settings s) {
        if (ipvs == null && (!s.ipvs().virtualServers().isEmpty() || s.ipvs().syncDaemon().isPresent())) {
            IpvsManager m = new IpvsManager(IpvsClient::open, new KernelNatSetup(new Nft("nft")));
            if (vrrp != null) {
                vrrp.routers().forEach((name, r) -> m.vrrpState(name, r.state() == RouterState.MASTER));
            }
            m.start(s.ipvs());
            ipvs = m;
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
    public Settings settings() {
        return settings;
    }

    /** Re-reads the config file; keeps the running settings if it has any problem. */
    synchronized void reload() {
        log.info("reloading {}", configFile);
        try {
            Settings next = ConfigLoader.load(configFile);
            SettingsDiff diff = SettingsDiff.between(settings, next);
            if (next.logLevel() != settings.logLevel()) {
                Logging.configure(next.logLevel(), verbosity);
            }
            settings = next;
            if (ipvs != null) {
                ipvs.apply(next.ipvs());
            } else {
                startIpvs(next);
            }
            if (vrrp != null) {
                vrrp.apply(next.vrrp());
            } else {
                startVrrp(next);
            }
            log.info("reload succeeded: {}", diff);
        } catch (InvalidConfigException e) {
            logProblems(e);
            log.error("reload failed: {} has {} problem(s); still running the previous config",
                    configFile, e.problems().size());
        } catch (RuntimeException e) {
            log.error("reload applied only in part: {}", e.getMessage(), e);
        }
    }

    private void requestStop() {
        log.info("stopping");
        stopRequested.countDown();
    }

    private static void logProblems(InvalidConfigException e) {
        for (ConfigProblem p : e.problems()) {
            log.error("{}", p.format());
        }
    }
}
