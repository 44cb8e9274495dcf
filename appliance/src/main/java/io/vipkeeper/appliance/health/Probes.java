package io.vipkeeper.appliance.health;

import io.vipkeeper.appliance.config.HealthCheck;
import io.vipkeeper.appliance.config.RealServer;
import io.vipkeeper.appliance.script.ProcessRunner;
import java.net.InetSocketAddress;

/** Builds the probe a real server's health-check settings ask for. */
final class Probes {
    private final Transports transports;
    private final TlsContexts tls;
    private final ProcessRunner scripts;

    Probes(Transports transports, TlsContexts tls, ProcessRunner scripts) {
        this.transports = transports;
        this.tls = tls;
        this.scripts = scripts;
    }

    /** Where the check of {@code rs} connects: its connect-address and connect-port, else its own. */
    static InetSocketAddress target(RealServer rs) {
        HealthCheck hc = rs.healthCheck();
        return new InetSocketAddress(hc.connectAddress().orElse(rs.address()), hc.connectPort().orElse(rs.port()));
    }

    /** The probe of {@code rs}; null for type none. */
    Probe create(RealServer rs) {
        HealthCheck hc = rs.healthCheck();
        InetSocketAddress target = target(rs);
        return switch (hc.type()) {
            case NONE -> null;
            case TCP -> new TcpProbe(transports, target, hc.timeout());
            case HTTP, HTTPS -> new HttpProbe(transports, target, hc.timeout(), hc.http().orElseThrow(), hc.tls(), tls);
            case UDP -> new UdpProbe(transports, target, hc.timeout(), hc.udp().orElseThrow());
            case DNS -> new DnsProbe(transports, target, hc.timeout(), hc.dns().orElseThrow());
            case SCRIPT -> new ScriptProbe(scripts, hc.script().orElseThrow());
        };
    }
}
