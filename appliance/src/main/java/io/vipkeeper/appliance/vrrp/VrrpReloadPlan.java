package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.VrrpInstance;
import io.vipkeeper.appliance.config.VrrpSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a reload does to each instance. Pure, so the decision table is tested without sockets.
 *
 * <p>A reload of a master must never cause a transition or a gap unless the router itself is a
 * different one: only a new interface, VRID or address family restarts an instance (the old
 * router hands over with priority 0, the new one starts as a backup). Priority, preempt and
 * advert interval are retuned on the running router. Anything else (VIPs, virtual routes and rules, auth, unicast peers,
 * GARP, notify, tracking, a sync group or a tracking script it uses) is carried over: a new
 * router built from the new settings takes the old one's state, timers and counters (see
 * {@code VirtualRouter.retire/startAfter}). A sync group is rebuilt whole, so when one member is
 * carried over or restarted, every other member is carried over with it.
 *
 * @param unchanged keep running as they are
 * @param retune same router, new priority/preempt/interval
 * @param carry a new router that goes on in the old one's state
 * @param restart stop (priority 0 if master) and start again: interface, VRID, family or vmac changed
 * @param added start
 * @param removed stop
 */
public record VrrpReloadPlan(List<String> unchanged, List<String> retune, List<String> carry, List<String> restart,
        List<String> added, List<String> removed) {

    /** The plan for moving from {@code old} to {@code next}. */
    public static VrrpReloadPlan between(VrrpSettings old, VrrpSettings next) {
        List<String> unchanged = new ArrayList<>();
        List<String> retune = new ArrayList<>();
        Set<String> carry = new LinkedHashSet<>();
        List<String> restart = new ArrayList<>();
        List<String> added = new ArrayList<>();
        Set<String> touchedByGroups = groupChanges(old.syncGroups(), next.syncGroups());
        for (VrrpInstance n : next.instances().values()) {
            VrrpInstance o = old.instances().get(n.name());
            if (o == null) {
                added.add(n.name());
            } else if (!sameRouter(o, n)) {
                restart.add(n.name());
            } else if (touchedByGroups.contains(n.name()) || scriptsChanged(o, old, next) || filesChanged(o, old, next)
                    || processesChanged(o, old, next) || !sameShape(o, n)) {
                carry.add(n.name());
            } else if (o.equals(n)) {
                unchanged.add(n.name());
            } else {
                retune.add(n.name());
            }
        }
        for (List<String> members : next.syncGroups().values()) {
            if (members.stream().anyMatch(m -> carry.contains(m) || restart.contains(m) || added.contains(m))) {
                members.stream().filter(m -> unchanged.contains(m) || retune.contains(m)).forEach(carry::add);
            }
        }
        unchanged.removeAll(carry);
        retune.removeAll(carry);
        List<String> removed = old.instances().keySet().stream().filter(n -> !next.instances().containsKey(n))
                .toList();
        return new VrrpReloadPlan(List.copyOf(unchanged), List.copyOf(retune), List.copyOf(carry),
                List.copyOf(restart), List.copyOf(added), removed);
    }

    /**
     * The same virtual router on the wire and on the host: interface, VRID, family and vmac (its
     * VIPs and adverts move to another link with it).
     */
    private static boolean sameRouter(VrrpInstance a, VrrpInstance b) {
        return a.interfaceName().equals(b.interfaceName()) && a.virtualRouterId() == b.virtualRouterId()
                && a.isIpv6() == b.isIpv6() && a.vmac().equals(b.vmac());
    }

    /** Equal except for the fields a running router can take over without a transition. */
    private static boolean sameShape(VrrpInstance a, VrrpInstance b) {
        return a.version() == b.version() && a.virtualIps().equals(b.virtualIps()) && a.addresses().equals(b.addresses())
                && a.routes().equals(b.routes()) && a.rules().equals(b.rules())
                && a.unicastPeers().equals(b.unicastPeers()) && a.unicastSource().equals(b.unicastSource())
                && a.authentication().equals(b.authentication())
                && a.authentication().secret().equals(b.authentication().secret())
                && a.trackInterfaces().equals(b.trackInterfaces()) && a.trackScripts().equals(b.trackScripts())
                && a.trackFiles().equals(b.trackFiles()) && a.trackProcesses().equals(b.trackProcesses())
                && a.garp().equals(b.garp())
                && a.notifyScript().equals(b.notifyScript()) && a.notifies().equals(b.notifies());
    }

    private static boolean scriptsChanged(VrrpInstance i, VrrpSettings old, VrrpSettings next) {
        return i.trackScripts().stream().anyMatch(s -> !Objects.equals(old.scripts().get(s), next.scripts().get(s)));
    }

    /** Whether a file {@code i} tracks is defined differently now (a new runtime applies it). */
    private static boolean filesChanged(VrrpInstance i, VrrpSettings old, VrrpSettings next) {
        return i.trackFiles().stream().anyMatch(f -> !Objects.equals(old.trackFiles().get(f), next.trackFiles().get(f)));
    }

    /** Whether a process {@code i} tracks is defined differently now (a new runtime applies it). */
    private static boolean processesChanged(VrrpInstance i, VrrpSettings old, VrrpSettings next) {
        return i.trackProcesses().stream().anyMatch(p -> !Objects.equals(old.trackProcesses().get(p),
                next.trackProcesses().get(p)));
    }

    /** Members of every group that is new, gone or different. */
    private static Set<String> groupChanges(Map<String, List<String>> old, Map<String, List<String>> next) {
        Set<String> members = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>(old.keySet());
        names.addAll(next.keySet());
        for (String g : names) {
            if (!Objects.equals(old.get(g), next.get(g))) {
                members.addAll(old.getOrDefault(g, List.of()));
                members.addAll(next.getOrDefault(g, List.of()));
            }
        }
        return members;
    }
}
