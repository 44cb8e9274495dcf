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
 * What a reload does to each instance: nothing, retune the running router (priority, preempt,
 * advert interval: no transition), or restart it (anything else, a sync group or a tracking
 * script it uses changed). Pure, so the decision table is tested without sockets.
 *
 * @param unchanged keep running as they are
 * @param retune same router, new priority/preempt/interval
 * @param restart stop (priority 0 if master) and start again
 * @param added start
 * @param removed stop
 */
record VrrpReloadPlan(List<String> unchanged, List<String> retune, List<String> restart, List<String> added,
        List<String> removed) {

    static VrrpReloadPlan between(VrrpSettings old, VrrpSettings next) {
        List<String> unchanged = new ArrayList<>();
        List<String> retune = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        Set<String> touchedByGroups = groupChanges(old.syncGroups(), next.syncGroups());
        for (VrrpInstance n : next.instances().values()) {
            VrrpInstance o = old.instances().get(n.name());
            if (o == null) {
                added.add(n.name());
            } else if (touchedByGroups.contains(n.name()) || scriptsChanged(o, old, next)
                    || !sameShape(o, n)) {
                restart.add(n.name());
            } else if (o.equals(n)) {
                unchanged.add(n.name());
            } else {
                retune.add(n.name());
            }
        }
        for (String name : old.instances().keySet()) {
            if (!next.instances().containsKey(name)) {
                removed.add(name);
            }
        }
        return new VrrpReloadPlan(unchanged, retune, restart, added, removed);
    }

    /** Equal except for the fields a running router can take over without a transition. */
    private static boolean sameShape(VrrpInstance a, VrrpInstance b) {
        return a.interfaceName().equals(b.interfaceName()) && a.virtualRouterId() == b.virtualRouterId()
                && a.version() == b.version() && a.virtualIps().equals(b.virtualIps())
                && a.unicastPeers().equals(b.unicastPeers()) && a.unicastSource().equals(b.unicastSource())
                && a.authentication().equals(b.authentication())
                && a.authentication().secret().equals(b.authentication().secret())
                && a.trackInterfaces().equals(b.trackInterfaces()) && a.trackScripts().equals(b.trackScripts())
                && a.garp().equals(b.garp()) && a.notifyScript().equals(b.notifyScript());
    }

    private static boolean scriptsChanged(VrrpInstance i, VrrpSettings old, VrrpSettings next) {
        return i.trackScripts().stream().anyMatch(s -> !Objects.equals(old.scripts().get(s), next.scripts().get(s)));
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
