package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.config.IpvsSettings;
import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.ipvs.IpvsTimeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's IPVS connection timeouts ({@code ipvs.timeouts}, keepalived's lvs_timeouts): read
 * every reconcile run and set when one the config names differs, so a start, a reload and a hand
 * edit ({@code ipvsadm --set}) all end with the configured values. A timeout the config does not
 * name is never touched (SET_CONFIG with 0 keeps it). Used on the ipvs thread only.
 */
final class TimeoutsKeeper {
    private static final Logger log = LoggerFactory.getLogger(TimeoutsKeeper.class);

    /** Whether the values were set once already: a later difference is drift, not programming. */
    private boolean set;

    /** Makes the kernel's timeouts what {@code settings} want; returns whether it changed them. */
    boolean reconcile(IpvsSettings settings, IpvsKernel kernel, ReconcileRun why) {
        IpvsSettings.Timeouts want = settings.timeouts();
        if (want.isEmpty()) {
            return false;
        }
        IpvsTimeouts now = kernel.timeouts();
        List<String> differ = new ArrayList<>();
        long tcp = differs("tcp", want.tcp(), now.tcpSeconds(), differ);
        long tcpFin = differs("tcp-fin", want.tcpFin(), now.tcpFinSeconds(), differ);
        long udp = differs("udp", want.udp(), now.udpSeconds(), differ);
        if (differ.isEmpty()) {
            set = true;
            return false;
        }
        kernel.setTimeouts(new IpvsTimeouts(tcp, tcpFin, udp));
        boolean drift = set && why != ReconcileRun.START && why != ReconcileRun.RELOAD;
        set = true;
        log.info("ipvs {}: connection timeouts {}", drift ? "repaired drift" : "set", String.join(", ", differ));
        return true;
    }

    /** The seconds to send for one timeout (0 = keep), noting it in {@code differ} when it changes. */
    private static long differs(String name, Optional<Duration> want, long now, List<String> differ) {
        if (want.isEmpty() || want.get().getSeconds() == now) {
            return 0;
        }
        differ.add(name + " " + now + "s -> " + want.get().getSeconds() + "s");
        return want.get().getSeconds();
    }
}
