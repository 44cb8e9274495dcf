package io.vipkeeper.appliance.daemon;

import io.vipkeeper.appliance.config.Settings;
import io.vipkeeper.appliance.vrrp.VrrpReloadPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a reload changes, computed once per reload: which VRRP instances and virtual servers were
 * added, removed or changed, what VRRP does about each (the plan the VRRP runtime follows), and
 * whether anything else changed, and all of it in words ({@link ChangeWords}). Entries are compared
 * by value, so an untouched entry is never reported (or restarted).
 */
public record SettingsDiff(Changes instances, VrrpReloadPlan vrrp, Changes virtualServers, boolean otherChanged,
        List<String> words) {

    /** Names added, removed and changed within one map of named entries. */
    public record Changes(List<String> added, List<String> removed, List<String> changed) {
        static <T> Changes of(Map<String, T> before, Map<String, T> after) {
            List<String> added = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            after.forEach((name, v) -> {
                if (!before.containsKey(name)) {
                    added.add(name);
                } else if (!before.get(name).equals(v)) {
                    changed.add(name);
                }
            });
            before.keySet().stream().filter(n -> !after.containsKey(n)).forEach(removed::add);
            return new Changes(List.copyOf(added), List.copyOf(removed), List.copyOf(changed));
        }

        boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }

        @Override
        public String toString() {
            return "+" + added + " -" + removed + " ~" + changed;
        }
    }

    /** Compares two loads of the config. */
    public static SettingsDiff between(Settings before, Settings after) {
        boolean other = !before.withoutNamedEntries().equals(after.withoutNamedEntries());
        return new SettingsDiff(Changes.of(before.vrrp().instances(), after.vrrp().instances()),
                VrrpReloadPlan.between(before.vrrp(), after.vrrp()),
                Changes.of(before.ipvs().virtualServers(), after.ipvs().virtualServers()), other,
                ChangeWords.between(before, after));
    }

    /** Whether the two loads are the same in every respect. */
    public boolean isEmpty() {
        return instances.isEmpty() && virtualServers.isEmpty() && !otherChanged;
    }

    /**
     * What changed in words ("web: priority 150 -> 160; virtual server api added"), then, when
     * VRRP instances changed, what VRRP does about them: retuned in place, carried over with their
     * state, or restarted (the one that may hand a VIP over).
     */
    @Override
    public String toString() {
        if (isEmpty()) {
            return "no changes";
        }
        String said = words.isEmpty() ? "settings changed" : String.join("; ", words);
        List<String> how = new ArrayList<>();
        vrrp.retune().forEach(n -> how.add(n + " retuned"));
        vrrp.carry().forEach(n -> how.add(n + " carried over"));
        vrrp.restart().forEach(n -> how.add(n + " restarted"));
        return said + (how.isEmpty() ? "" : " (VRRP: " + String.join(", ", how) + ")");
    }
}
