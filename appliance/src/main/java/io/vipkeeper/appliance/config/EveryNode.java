package io.vipkeeper.appliance.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every node's view of a shared file read and checked, as {@code vipkeeper check} does without
 * {@code --node}: a problem found in every view is reported once, as it is; one found in some
 * views only names them ({@code FILE:LINE: [lb2] vipkeeper.vrrp...}). What depends on the host
 * (its interfaces and addresses) is judged in this host's own node's view only (the node its host
 * name chooses; none when it chooses none), since the other node runs elsewhere.
 */
public final class EveryNode {
    private static final String WARNING = "warning: ";
    private static final Pattern PLACE = Pattern.compile("warning: [^\\s]+:\\d+: ");

    private EveryNode() {
    }

    /**
     * The settings of each of {@code nodes} (the names in the file's {@code nodes} block, {@link
     * ConfigLoader#nodeNames}), by name in that order.
     */
    public static Map<String, Settings> load(Path file, DataPlaneResolver engines, List<String> nodes)
            throws InvalidConfigException {
        Map<String, Settings> settings = new LinkedHashMap<>();
        Map<String, List<ConfigProblem>> problems = new LinkedHashMap<>();
        // Interfaces and addresses are this host's: judged in its own node's view only (the other
        // node's unicast peer is this host, its interfaces may be named otherwise).
        String here = Nodes.first(Nodes.hostCandidates(SettingsReader.hostName()), nodes);
        for (String node : nodes) {
            try {
                settings.put(node, ConfigLoader.load(file, ConfigCache.NONE, engines, NodeChoice.of(node), () -> {
                }, node.equals(here) ? HostNetwork.LINUX : HostNetwork.UNKNOWN));
            } catch (InvalidConfigException e) {
                problems.put(node, e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(named(problems, nodes.size()));
        }
        return settings;
    }

    /**
     * Each distinct warning of {@code byNode} once, in order; one that some nodes' views give and
     * others not names those nodes after its place ({@code warning: FILE:LINE: [lb2] ...}).
     */
    public static List<String> namedWarnings(Map<String, List<String>> byNode) {
        List<String> named = new ArrayList<>();
        whose(byNode).forEach((w, in) -> {
            if (in.size() == byNode.size()) {
                named.add(w);
                return;
            }
            String tag = "[" + String.join(", ", in) + "] ";
            Matcher m = PLACE.matcher(w);
            named.add(m.lookingAt() ? w.substring(0, m.end()) + tag + w.substring(m.end())
                    : w.startsWith(WARNING) ? WARNING + tag + w.substring(WARNING.length()) : tag + w);
        });
        return named;
    }

    /** Each distinct problem once, prefixed with the nodes it belongs to unless it belongs to all. */
    static List<ConfigProblem> named(Map<String, List<ConfigProblem>> byNode, int nodes) {
        List<ConfigProblem> named = new ArrayList<>();
        whose(byNode).forEach((p, in) -> named.add(in.size() == nodes ? p
                : new ConfigProblem(p.file(), p.line(), "[" + String.join(", ", in) + "] " + p.message())));
        named.sort(Comparator.comparing(ConfigProblem::file).thenComparingInt(ConfigProblem::line));
        return named;
    }

    /** Each distinct item of {@code byNode}, in first-seen order, with the nodes whose lists hold it (each once). */
    private static <T> Map<T, List<String>> whose(Map<String, List<T>> byNode) {
        Map<T, List<String>> whose = new LinkedHashMap<>();
        byNode.forEach((node, list) -> list.forEach(item -> {
            List<String> in = whose.computeIfAbsent(item, k -> new ArrayList<>());
            if (!in.contains(node)) {
                in.add(node);
            }
        }));
        return whose;
    }
}
