package io.vipkeeper.appliance.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the nodes of a pair must agree on. A VRRP instance that two nodes run is one virtual router
 * only while they send the same virtual-router-id, version, advert interval, authentication and
 * virtual IP addresses: a node block that changes one of them on one node makes each node take the
 * other for a different router (or drop its adverts), so both become MASTER and hold the VIPs.
 * Priority, interface, unicast peers, a VIP's own interface, label or scope may differ by node.
 *
 * <p>Checked on the file as written (each node's block merged over the shared part, before
 * substitutions), comparing what each node would use: its value, else its
 * {@code instance-defaults}, else reference.conf's, as values (1s is 1000ms; only the addresses of
 * virtual-ips count). Every node compares itself with every other, so {@code check}, the start and
 * a reload of either node refuse such a file alike, at the line of the node block that sets the
 * value.
 */
final class PairAgreement {
    /** An instance's keys the pair's nodes must share. */
    static final List<String> SHARED = List.of("virtual-router-id", "version", "advert-interval", "virtual-ips",
            "authentication");
    private static final String INSTANCES = "vrrp.instances";
    private static final String DEFAULTS = "vrrp.instance-defaults";

    private PairAgreement() {
    }

    /**
     * Reports each shared key on which node {@code name} and another node disagree, at the line of
     * each of the two node blocks that sets it; {@code views} holds every node's view (the whole
     * tree) and {@code blocks} every node's block, by name.
     */
    static void check(String name, Map<String, Config> views, Map<String, ConfigObject> blocks, Problems problems) {
        Config mine = views.get(name).getConfig("vipkeeper");
        for (Map.Entry<String, Config> other : views.entrySet()) {
            if (other.getKey().equals(name)) {
                continue;
            }
            Config theirs = other.getValue().getConfig("vipkeeper");
            Set<String> both = new TreeSet<>(instanceNames(mine));
            both.retainAll(instanceNames(theirs));
            for (String instance : both) {
                for (String key : SHARED) {
                    String a = normal(key, effective(mine, instance, key));
                    String b = normal(key, effective(theirs, instance, key));
                    if (!a.equals(b)) {
                        report(instance, key, name, a, other.getKey(), b, blocks, problems);
                        report(instance, key, other.getKey(), b, name, a, blocks, problems);
                    }
                }
            }
        }
    }

    /** The problem at node {@code setter}'s line for the key, if its block sets it (at the block when that is unclear). */
    private static void report(String instance, String key, String setter, String has, String other, String otherHas,
            Map<String, ConfigObject> blocks, Problems problems) {
        ConfigObject setterBlock = blocks.get(setter);
        Config block = setterBlock.toConfig();
        String own = INSTANCES + "." + ConfigUtil.quoteString(instance) + "." + key;
        String defaults = DEFAULTS + "." + key;
        ConfigOrigin at;
        String shown;
        try {
            if (block.hasPathOrNull(own)) {
                at = block.getValue(own).origin();
                shown = INSTANCES + "." + instance + "." + key;
            } else if (block.hasPathOrNull(defaults)) {
                at = block.getValue(defaults).origin();
                shown = defaults;
            } else if (setsNothing(block, instance)) {
                return;
            } else {
                at = setterBlock.origin();
                shown = INSTANCES + "." + instance + "." + key;
            }
        } catch (ConfigException e) {
            // Built from a substitution: the node's block is the place to look.
            at = setterBlock.origin();
            shown = INSTANCES + "." + instance + "." + key;
        }
        String values = key.equals("authentication") ? "" : " (" + setter + " has " + has + ", " + other + " has " + otherHas + ")";
        problems.add(at, "vipkeeper.nodes." + setter + "." + shown + ": node " + setter
                + " and node " + other + " differ on instance " + instance + "'s " + key + values
                + "; the nodes of a pair must agree on an instance's " + String.join(", ", SHARED)
                + ", or each takes the other for another router and both hold the virtual IPs (set it outside the nodes block)");
    }

    /** Whether the block touches neither the instance nor the instance defaults: the difference is not its doing. */
    private static boolean setsNothing(Config block, String instance) {
        return !block.hasPathOrNull(INSTANCES + "." + ConfigUtil.quoteString(instance)) && !block.hasPathOrNull(DEFAULTS);
    }

    /** What the view uses: the instance's value, else its defaults', else reference.conf's; null when none. */
    private static ConfigValue effective(Config view, String instance, String key) {
        String own = INSTANCES + "." + ConfigUtil.quoteString(instance) + "." + key;
        if (view.hasPathOrNull(own)) {
            return view.hasPath(own) ? view.getValue(own) : null;
        }
        String defaults = DEFAULTS + "." + key;
        if (view.hasPathOrNull(defaults)) {
            return view.hasPath(defaults) ? view.getValue(defaults) : null;
        }
        Config ref = ConfigLoader.reference().getConfig("vipkeeper");
        return ref.hasPath(defaults) ? ref.getValue(defaults) : null;
    }

    /** The value as the daemon would understand it, as text that is equal when the meaning is. */
    static String normal(String key, ConfigValue v) {
        if (v == null) {
            return "unset";
        }
        try {
            switch (key) {
                case "advert-interval":
                    return Long.toString(ConfigFactory.parseMap(Map.of("d", v.unwrapped())).getDuration("d").toNanos());
                case "virtual-ips":
                    if (v.valueType() == ConfigValueType.LIST) {
                        Set<String> addresses = new TreeSet<>();
                        for (Object o : (List<?>) v.unwrapped()) {
                            Object address = o instanceof Map<?, ?> m ? m.get("address") : o;
                            addresses.add(String.valueOf(address).trim());
                        }
                        return addresses.toString();
                    }
                    return v.unwrapped().toString();
                default:
                    Object u = v.unwrapped();
                    return u instanceof Map<?, ?> m ? new TreeMap<Object, Object>(m).toString() : String.valueOf(u);
            }
        } catch (ConfigException | ClassCastException e) {
            // A substitution or a value of the wrong type: compared as written (its own problem is
            // reported where the value is read).
            return v.render();
        }
    }

    private static Set<String> instanceNames(Config view) {
        return view.hasPath(INSTANCES) && view.getValue(INSTANCES) instanceof ConfigObject o ? o.keySet() : Set.of();
    }
}
