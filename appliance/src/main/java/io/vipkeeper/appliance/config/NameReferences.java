package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.config.ConfigNode.Element;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads an instance's list of names that refer to the entries of a vrrp section (track-scripts,
 * track-files, track-processes): each must name an entry, and only once.
 */
final class NameReferences {
    private NameReferences() {
    }

    /**
     * The names listed under {@code key}; one that is not in {@code known} (the entries of
     * vipkeeper.vrrp.{@code section}, each a {@code noun}) or comes twice is a problem and left out.
     */
    static List<String> read(ConfigNode n, String key, Set<String> known, String noun, String section) {
        List<String> out = new ArrayList<>();
        for (Element<String> e : n.stringList(key)) {
            if (!known.contains(e.value())) {
                n.problems().add(e.origin(), n.path(e.label()) + ": no " + noun + " named \"" + e.value()
                        + "\" in vipkeeper.vrrp." + section + Suggestions.hint(e.value(), known));
            } else if (out.contains(e.value())) {
                n.problems().add(e.origin(), n.path(e.label()) + ": " + e.value() + " is tracked twice");
            } else {
                out.add(e.value());
            }
        }
        return List.copyOf(out);
    }
}
