package io.vipkeeper.appliance.config;

import java.util.List;
import java.util.Map;

/**
 * The {@code vrrp} section.
 *
 * @param instances virtual routers by name, in file order
 * @param scripts tracking scripts by name
 * @param syncGroups groups of instance names that change state together
 * @param trackFiles tracked files by name
 * @param trackProcesses tracked processes by name
 */
public record VrrpSettings(
        Map<String, VrrpInstance> instances,
        Map<String, VrrpScript> scripts,
        Map<String, List<String>> syncGroups,
        Map<String, VrrpTrackFile> trackFiles,
        Map<String, VrrpTrackProcess> trackProcesses) {

    public VrrpSettings {
        instances = Immutable.orderedMap(instances);
        scripts = Immutable.orderedMap(scripts);
        syncGroups = Immutable.orderedMap(syncGroups);
        trackFiles = Immutable.orderedMap(trackFiles);
        trackProcesses = Immutable.orderedMap(trackProcesses);
    }
}
