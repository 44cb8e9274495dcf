package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.VrrpSettings;
import io.vipkeeper.vrrp.fsm.Resignation;
import io.vipkeeper.vrrp.fsm.VirtualRouter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@code vipkeeper vrrp maintenance on|off INSTANCE}: the set is written to the state
 * file first, then the routers are told on the VRRP loop, and the order waits (off the loop) for a
 * master's resignation to end. An instance in a sync group takes its whole group with it: the
 * members change state together, so one member alone in maintenance would hold the others back.
 * Nobody would hold the VIPs when a resigning master hears no new master within the graceful
 * stop's bound (backups do not advertise, so a master cannot know beforehand whether one listens),
 * or a backup knows of no master: then the order is refused and undone unless forced.
 */
final class MaintenanceOrders {
    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceOrders.class);
    /** Beyond the longest resignation (4 Master_Down_Intervals at the longest advert interval, 40.95 s). */
    private static final long WAIT_SECONDS = 200;

    /** Runs a task on the VRRP loop and returns its result. */
    interface Loop {
        <T> T call(Callable<T> task);
    }

    private final Maintenance maintenance;
    private final VrrpService service;
    private final Loop loop;

    MaintenanceOrders(Maintenance maintenance, VrrpService service, Loop loop) {
        this.maintenance = maintenance;
        this.service = service;
        this.loop = loop;
    }

    /** Puts {@code instance} (and its sync group) in maintenance or takes it out; {@code who} is for the log. */
    synchronized MaintenanceChange order(String instance, boolean on, boolean force, String who)
            throws MaintenanceRefusal {
        VrrpSettings s = loop.call(service::settings);
        if (!s.instances().containsKey(instance)) {
            throw new MaintenanceRefusal(MaintenanceRefusal.Reason.UNKNOWN_INSTANCE, "no VRRP instance " + instance
                    + " in the config" + (s.instances().isEmpty() ? "" : " (instances: "
                    + String.join(", ", s.instances().keySet()) + ")"));
        }
        String group = s.syncGroups().entrySet().stream().filter(e -> e.getValue().contains(instance))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        List<String> members = group == null ? List.of(instance) : s.syncGroups().get(group);
        Set<String> before = maintenance.names();
        if (on ? before.containsAll(members) : members.stream().noneMatch(before::contains)) {
            List<MaintenanceChange.Member> same = loop.call(() -> members.stream().map(m -> member(m, "unchanged",
                    null)).toList());
            LOG.info("vrrp maintenance {} {} by {}: {} already {}", on ? "on" : "off", instance, who,
                    describe(members, group), on ? "in maintenance" : "out of maintenance");
            return new MaintenanceChange(instance, group, on, false, same);
        }
        Set<String> after = new TreeSet<>(before);
        if (on) {
            after.addAll(members);
        } else {
            after.removeAll(members);
        }
        try {
            maintenance.set(after);
        } catch (IOException e) {
            throw new MaintenanceRefusal(MaintenanceRefusal.Reason.NOT_SAVED, "cannot write the runtime state: "
                    + e.getMessage());
        }
        List<CompletableFuture<Resignation>> pending = loop.call(() -> service.setMaintenance(members, on, force));
        List<Resignation> outcomes = new ArrayList<>();
        for (CompletableFuture<Resignation> f : pending) {
            outcomes.add(await(f));
        }
        if (on && outcomes.stream().anyMatch(r -> !r.inMaintenance())) {
            undo(before, members);
            String why = outcomes.stream().filter(r -> r.outcome() == Resignation.Outcome.NO_PEER
                    && r.waitedNanos() > 0).findFirst().map(r -> "no new master advertised within "
                            + r.waitedNanos() / 1_000_000 + " ms of our priority-0 advert")
                    .orElse("no master is known to hold them");
            String message = "nobody would hold the VIPs of " + describe(members, group) + ": " + why
                    + "; nothing was changed (the VIPs stay where they were). --force releases them all the same";
            LOG.warn("vrrp maintenance on {} refused for {}: {}", instance, who, message);
            throw new MaintenanceRefusal(MaintenanceRefusal.Reason.NO_PEER, message);
        }
        List<MaintenanceChange.Member> done = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            Resignation r = outcomes.get(i);
            String name = members.get(i);
            done.add(loop.call(() -> member(name, on ? r.outcome().name().toLowerCase(java.util.Locale.ROOT) : "left",
                    r)));
        }
        LOG.info("vrrp maintenance {} {} by {}: {} (runtime state of this node)", on ? "on" : "off", instance, who,
                String.join("; ", done.stream().map(MaintenanceOrders::words).toList()));
        return new MaintenanceChange(instance, group, on, true, done);
    }

    /** Takes the members out again after a refusal: the file first, then the routers. */
    private void undo(Set<String> before, List<String> members) {
        try {
            maintenance.set(before);
        } catch (IOException e) {
            LOG.error("cannot write the runtime state back after a refused maintenance order: {}", e.getMessage());
        }
        loop.call(() -> service.setMaintenance(members, false, false));
    }

    private MaintenanceChange.Member member(String name, String outcome, Resignation r) {
        VirtualRouter router = service.routers().get(name);
        return new MaintenanceChange.Member(name, outcome, r == null ? null : r.master().map(a -> a.getHostAddress())
                .orElse(null), r == null ? 0 : r.waitedNanos() / 1_000_000,
                router == null ? "STOPPED" : router.state().name());
    }

    private static String words(MaintenanceChange.Member m) {
        return m.name() + " " + m.outcome().replace('_', ' ') + (m.newMaster() == null ? ""
                : " to " + m.newMaster() + " after " + m.waitedMs() + " ms") + ", " + m.state();
    }

    private static String describe(List<String> members, String group) {
        return group == null ? members.get(0) : "sync group " + group + " (" + String.join(", ", members) + ")";
    }

    private static Resignation await(CompletableFuture<Resignation> f) {
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the resignation did not end: " + e, e);
        }
    }
}
