package io.vipkeeper.appliance.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One node's view of a file both nodes of a pair share: {@code vipkeeper.nodes.NAME} merged over the
 * rest of {@code vipkeeper}, before the defaults and before substitutions are resolved (so a
 * {@code ${...}} sees the node's values). The merge is HOCON's {@code withFallback}: a node's block
 * is merged into the shared one key by key, a value that is not a block (string, number, list)
 * replaces the shared one whole, and every value keeps the file and line it was written at.
 * {@code node-name} is the node's name unless the node's block sets it. A file without a
 * {@code nodes} block is read as it is.
 */
final class Nodes {
    /** The block's key under {@code vipkeeper}. */
    static final String KEY = "nodes";
    private static final String PATH = "vipkeeper." + KEY;
    private static final String NODE_NAME = "vipkeeper.node-name";

    private Nodes() {
    }

    /** The names in the file's nodes block, sorted; empty without one (or when it cannot be read). */
    static List<String> names(Config user) {
        try {
            if (user.hasPath(PATH) && user.getValue(PATH) instanceof ConfigObject nodes) {
                return List.copyOf(new TreeSet<>(nodes.keySet()));
            }
        } catch (ConfigException e) {
            // Reported by view().
        }
        return List.of();
    }

    /**
     * The tree as node {@code choice} sees it, without the nodes block; null after a problem (a name
     * that matches no node is one, with the list of those that do).
     */
    static Config view(Config user, NodeChoice choice, Problems problems) {
        try {
            if (!user.hasPathOrNull(PATH)) {
                // As before nodes existed; a name given with --node is still the node's name.
                return choice.given().isEmpty() || user.hasPath(NODE_NAME) ? user
                        : user.withValue(NODE_NAME, ConfigValueFactory.fromAnyRef(choice.name(), "--node"));
            }
            return select(user, choice, problems);
        } catch (ConfigException.NotResolved e) {
            // vipkeeper = ${base} { ... } merges only when resolved, too late to pick a node.
            problems.add(user.root().origin(), PATH + ": the vipkeeper block is built from a substitution, so its"
                    + " nodes cannot be chosen; write vipkeeper { nodes { ... } } as a plain block");
            return null;
        }
    }

    /**
     * Reports what node {@code name}'s view and another's disagree on that the pair's nodes must
     * share ({@link PairAgreement}), comparing the views resolved as the loader resolves its own (so
     * a substitution or a {@code +=} in a node's block is compared by its result). A view that does
     * not resolve is left out here: its own load reports why.
     */
    private static void agree(String name, ConfigObject nodes, Config shared, Config view, Problems problems) {
        Map<String, Config> views = new TreeMap<>();
        Map<String, ConfigObject> blocks = new TreeMap<>();
        Config reference = ConfigLoader.reference();
        for (Map.Entry<String, ConfigValue> e : nodes.entrySet()) {
            ConfigObject block = (ConfigObject) e.getValue();
            Config v = e.getKey().equals(name) ? view : block.toConfig().atPath("vipkeeper").withFallback(shared);
            try {
                views.put(e.getKey(), v.withFallback(reference).resolve(ConfigResolveOptions.noSystem()));
                blocks.put(e.getKey(), block);
            } catch (ConfigException ce) {
                if (e.getKey().equals(name)) {
                    return;
                }
            }
        }
        PairAgreement.check(name, views, blocks, problems);
    }

    /**
     * The node names a host name stands for: itself, and for a full name such as lb1.example.com
     * its first label too (so nodes need no quoted dotted keys; keepalived's config-id is the host
     * name up to its first dot alike).
     */
    /** The first of {@code candidates} that is a node, or null. */
    static String first(List<String> candidates, java.util.Collection<String> nodes) {
        return candidates.stream().filter(nodes::contains).findFirst().orElse(null);
    }

    static List<String> hostCandidates(String host) {
        int dot = host.indexOf('.');
        return dot > 0 ? List.of(host, host.substring(0, dot)) : List.of(host);
    }

    private static Config select(Config user, NodeChoice choice, Problems problems) {
        ConfigValue value = user.getValue(PATH);
        int before = problems.reports();
        if (!(value instanceof ConfigObject nodes) || value.valueType() != ConfigValueType.OBJECT) {
            problems.add(value.origin(), PATH + ": must be a block of nodes: nodes { lb1 { ... } lb2 { ... } }");
            return null;
        }
        if (nodes.isEmpty()) {
            problems.add(nodes.origin(), PATH + ": names no node; name each (nodes { lb1 { ... } }) or leave it out");
        }
        for (Map.Entry<String, ConfigValue> e : nodes.entrySet()) {
            String at = PATH + "." + e.getKey();
            if (!(e.getValue() instanceof ConfigObject node)) {
                problems.add(e.getValue().origin(), at + ": must be a block of this node's settings: "
                        + e.getKey() + " { vrrp.instances.web.priority = 100 }");
            } else if (node.containsKey(KEY)) {
                problems.add(node.get(KEY).origin(), at + "." + KEY + ": a node has no nodes of its own");
            }
        }
        if (user.hasPath(NODE_NAME)) {
            problems.add(user.getValue(NODE_NAME).origin(), NODE_NAME + ": would name every node alike; each"
                    + " node is called by its name in nodes { }, or set node-name inside its block");
        }
        if (problems.reports() > before) {
            return null;
        }
        List<String> candidates = choice.given().isPresent() ? List.of(choice.name()) : hostCandidates(choice.name());
        String name = first(candidates, nodes.keySet());
        if (name == null || !(nodes.get(name) instanceof ConfigObject node)) {
            problems.add(nodes.origin(), PATH + ": no node \"" + candidates.get(0) + "\" (" + choice.source()
                    + "); the nodes are " + String.join(", ", names(user)));
            return null;
        }
        Config shared = user.withoutPath(PATH);
        Config view = node.toConfig().atPath("vipkeeper").withFallback(shared);
        agree(name, nodes, shared, view, problems);
        if (problems.reports() > before) {
            return null;
        }
        // Named after its block unless the block says otherwise; a problem with it is at the block.
        return node.containsKey("node-name") ? view
                : view.withValue(NODE_NAME, ConfigValueFactory.fromAnyRef(name).withOrigin(node.origin()));
    }
}
