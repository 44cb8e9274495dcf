package io.vipkeeper.appliance.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the nodes of a pair must agree on. A VRRP instance that both nodes run is one virtual
 * router only while they send the same virtual-router-id, version, advert interval, authentication
 * and virtual IPs: a node block that changes one of them on one node makes each node take the
 * other for a different router (or drop its adverts), so both become MASTER and hold the VIPs.
 * Priority, interface, unicast peers and the rest may differ by node.
 *
 * <p>Checked on the file as written (each node's block merged over the shared part, before the
 * defaults), so {@code check} and the daemon's start and reload refuse such a file alike, at the
 * line of the node block's value. A value that is a substitution is compared as written.
 */
final class PairAgreement {
    /** An instance's keys the pair's nodes must share. */
    static final List<String> SHARED = List.of("virtual-router-id", "version", "advert-interval", "virtual-ips",
            "authentication");
    private static final String INSTANCES = "vrrp.instances";
    private static final String DEFAULTS = "vrrp.instance-defaults";
    private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();

    private PairAgreement() {
    }

    /**
     * Reports each shared key that node {@code name}'s block sets to something another node does
     * not see; {@code views} holds every node's view (under {@code vipkeeper}) by name.
     */
    static void check(String name, ConfigObject block, Map<String, Config> views, Problems problems) {
        Config own = block.toConfig();
        Config mine = views.get(name).getConfig("vipkeeper");
        for (String instance : instanceNames(mine)) {
            for (String key : SHARED) {
                String path = INSTANCES + "." + ConfigUtil.quoteString(instance) + "." + key;
                if (own.hasPathOrNull(path)) {
                    compare(name, instance, key, path, INSTANCES + "." + instance + "." + key, own.getValue(path), views,
                            problems);
                }
            }
        }
        for (String key : SHARED) {
            String path = DEFAULTS + "." + key;
            if (own.hasPathOrNull(path)) {
                compare(name, null, key, path, path, own.getValue(path), views, problems);
            }
        }
    }

    private static void compare(String name, String instance, String key, String path, String shownPath,
            ConfigValue value, Map<String, Config> views, Problems problems) {
        String mine = render(views.get(name).getConfig("vipkeeper"), path);
        for (Map.Entry<String, Config> other : views.entrySet()) {
            Config theirs = other.getValue().getConfig("vipkeeper");
            if (other.getKey().equals(name) || !matters(theirs, instance, key)
                    || !matters(views.get(name).getConfig("vipkeeper"), instance, key)
                    || render(theirs, path).equals(mine)) {
                continue;
            }
            String shown = key.equals("authentication") ? "" : " (" + mine + " here, " + render(theirs, path) + " there)";
            problems.add(value.origin(), "vipkeeper.nodes." + name + "." + shownPath + ": differs from node " + other.getKey()
                    + shown + "; the nodes of a pair must agree on an instance's " + String.join(", ", SHARED)
                    + ", or each takes the other for another router and both hold the virtual IPs"
                    + " (set it outside the nodes block)");
            return;
        }
    }

    /**
     * Whether the key decides something in this view: an instance's own key always (if the view has
     * the instance); a default only while some instance of the view does not set the key itself.
     */
    private static boolean matters(Config view, String instance, String key) {
        Set<String> instances = instanceNames(view);
        if (instance != null) {
            return instances.contains(instance);
        }
        return instances.stream().anyMatch(i -> !view.hasPathOrNull(INSTANCES + "." + ConfigUtil.quoteString(i) + "." + key));
    }

    private static Set<String> instanceNames(Config view) {
        return view.hasPath(INSTANCES) && view.getValue(INSTANCES) instanceof ConfigObject o ? o.keySet() : Set.of();
    }

    private static String render(Config view, String path) {
        return view.hasPathOrNull(path) ? view.getValue(path).render(CONCISE) : "unset";
    }
}
