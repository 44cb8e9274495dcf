package io.vipkeeper.appliance.config;

import java.util.List;
import java.util.Map;

/**
 * The {@code vrrp} section.
 *
 * @param instances virtual routers by name, in file order
 * @param scripts tracking scripts by name
 * @param syncGroups groups of instance names that change state together
 */
public record VrrpSettings(
        Map<String, VrrpInstance> instances,
        Map<String, VrrpScript> scripts,
        Map<String, List<String>> syncGroups) {

    public VrrpSettings {
        instances = Immutable.orderedMap(instances);
        scripts = Immutable.orderedMap(scripts);
        syncGroups = Immutable.orderedMap(syncGroups);
    }
}
