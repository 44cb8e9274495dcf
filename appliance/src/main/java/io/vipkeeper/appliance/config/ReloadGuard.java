package io.vipkeeper.appliance.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Refuses a reload that would leave the daemon running nothing while it runs something now: a
 * half-written or wrong file (a backend's, say) must not drop every VIP and drain every service.
 * The file can say it means it ({@code vipkeeper.allow-empty = true}), since SIGHUP carries no flag.
 * Refuses too a {@code bgp.device} renamed while bgp VIPs run on the old one: the device is created
 * once and carries the VIPs until the last VIP goes, so the new name would not be applied (the
 * running config is kept, as for any refused reload). A reload that drops every bgp VIP closes the
 * device, and a later one may name another.
 * Refuses too a file the engine cannot run beside this node's runtime backends ({@link
 * #checkRuntimeBackends}).
 * A step of its own between loading the new settings and applying them.
 */
public final class ReloadGuard {
    private ReloadGuard() {
    }

    /**
     * Throws, with the problem at line 1 of the new file, if {@code next} would remove all that
     * {@code running} runs; or at the device's line if it renames the running bgp device.
     */
    public static void check(Settings running, Settings next) throws InvalidConfigException {
        checkEmpty(running, next);
        // Without VIPs on either side no device is held (the announcer closes it when the last VIP goes).
        if (!running.bgp().isEmpty() && !next.bgp().isEmpty() && !running.bgp().device().equals(next.bgp().device())) {
            throw new InvalidConfigException(List.of(next.bgp().deviceProblem(running.bgp().device() + " -> "
                    + next.bgp().device() + " takes a restart: the running daemon's VIPs are on "
                    + running.bgp().device() + " for as long as it lives")));
        }
    }

    /**
     * Throws, one problem per line of {@code conflicts}, if {@code next} cannot run beside this
     * node's runtime backends ({@code DataPlaneManager.runtimeConflicts}: a runtime backend the
     * engine could not program beside the new file's backends of its service). Refused rather than
     * the runtime backend dropped or merged in: the file may be right and the runtime backend
     * forgotten, or the other way round, and only the operator knows which. No line: the conflict
     * is between the file and the runtime state, and each problem names its virtual server.
     */
    public static void checkRuntimeBackends(Settings next, List<String> conflicts) throws InvalidConfigException {
        if (!conflicts.isEmpty()) {
            throw new InvalidConfigException(conflicts.stream()
                    .map(c -> new ConfigProblem(next.source().toString(), 0, c)).toList());
        }
    }

    private static void checkEmpty(Settings running, Settings next) throws InvalidConfigException {
        if (running.runsNothing() || !next.runsNothing() || next.allowEmpty()) {
            return;
        }
        List<String> removed = new ArrayList<>();
        if (!running.vrrp().instances().isEmpty()) {
            removed.add("VRRP instances " + String.join(", ", running.vrrp().instances().keySet()));
        }
        if (!running.ipvs().virtualServers().isEmpty()) {
            removed.add("virtual servers " + String.join(", ", running.ipvs().virtualServers().keySet()));
        }
        if (running.ipvs().syncDaemon().isPresent()) {
            removed.add("the sync daemon");
        }
        if (!running.bgp().isEmpty()) {
            removed.add("bgp VIPs " + String.join(", ", running.bgp().vips().stream().map(Addresses::format).toList()));
        }
        throw new InvalidConfigException(List.of(new ConfigProblem(next.source().toString(), 1,
                "would remove everything this daemon runs (" + String.join("; ", removed) + ") and run nothing"
                        + " (a half-written or wrong file?); a file meant to do that says vipkeeper.allow-empty = true")));
    }
}
