package io.vipkeeper.appliance.config;

import io.vipkeeper.vrrp.linux.rtnl.MacvlanMode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reads an instance's use-vmac keys (keepalived's use_vmac) and checks that no two instances share a vmac. */
final class VmacReader {
    /** keepalived's default name: vrrp.VRID. */
    private static final String DEFAULT_PREFIX = "vrrp.";

    private VmacReader() {
    }

    /**
     * The instance's vmac: empty when use-vmac is false, null after a problem. {@code vrid} may be
     * null (its own problem was reported). Either family: the MAC follows the instance's
     * (00:00:5e:00:01:VRID or 00:00:5e:00:02:VRID).
     */
    static Optional<VrrpInstance.Vmac> read(ConfigNode n, Integer vrid) {
        Boolean use = n.bool("use-vmac");
        String name = n.string("vmac-name");
        String modeWord = n.string("vmac-mode");
        Optional<MacvlanMode> mode = modeWord == null ? Optional.empty() : MacvlanMode.byConfigName(modeWord);
        if (modeWord != null && mode.isEmpty()) {
            n.problem("vmac-mode", "\"" + modeWord + "\" is not a macvlan mode: "
                    + Arrays.stream(MacvlanMode.values()).map(MacvlanMode::configName).collect(Collectors.joining(" | ")));
        }
        if (use == null || name == null || mode.isEmpty()) {
            return null;
        }
        if (!use) {
            if (!name.isEmpty()) {
                n.problem("vmac-name", "is set but use-vmac is false");
                return null;
            }
            return Optional.empty();
        }
        if (name.isEmpty()) {
            if (vrid == null) {
                return null;
            }
            name = DEFAULT_PREFIX + vrid;
        } else if (VrrpReader.interfaceName(n, "vmac-name") == null) {
            return null;
        }
        return Optional.of(new VrrpInstance.Vmac(name, mode.get()));
    }

    /** Two instances with one vmac name, or a vmac named like an instance's interface, are problems. */
    static void checkUnique(Map<String, VrrpInstance> instances, Map<String, ConfigNode> nodes) {
        Map<String, String> owners = new HashMap<>();
        for (VrrpInstance i : instances.values()) {
            if (i.vmac().isEmpty()) {
                continue;
            }
            String name = i.vmac().get().name();
            String other = owners.putIfAbsent(name, i.name());
            ConfigNode n = nodes.get(i.name());
            String key = n.has("vmac-name") && !n.string("vmac-name").isEmpty() ? "vmac-name" : "use-vmac";
            if (other != null) {
                n.problem(key, "vmac " + name + " is already the vmac of instance " + other
                        + " (set vmac-name to tell them apart)");
            }
            instances.values().stream().filter(o -> o.interfaceName().equals(name)).findFirst().ifPresent(o ->
                    n.problem(key, "vmac " + name + " is the interface of instance " + o.name()));
        }
    }
}
