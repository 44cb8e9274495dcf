package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.vm.Shell;
import java.util.Map;
import java.util.TreeMap;

/**
 * The IPVS engine for {@link EngineBehaviour} (in the real-IPVS VM): {@code ipvsadm} reads the
 * table; drift is a service deleted with {@code ipvsadm -D}. A backend removed while it holds a
 * connection stays in the table at weight 0 until that connection ends, with dr as with NAT.
 */
final class IpvsBehaviourEngine implements BehaviourEngine {
    @Override
    public String dataPlane() {
        return "ipvs";
    }

    /** {@code ipvsadm ARGS} in the node; what it printed, failures included. */
    static Shell.Result ipvsadm(Lab lab, String node, String... args) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("ip", "netns", "exec", lab.ns(node), "ipvsadm"));
        cmd.addAll(java.util.List.of(args));
        return Shell.tryRun(cmd.toArray(String[]::new));
    }

    @Override
    public Map<String, Integer> weights(Lab lab, String node, String vip, int port) {
        Map<String, Integer> of = new TreeMap<>();
        Shell.Result r = ipvsadm(lab, node, "-Ln", "-t", vip + ":" + port);
        if (r.code() != 0) {
            return of;
        }
        for (String line : r.output().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].equals("->") && Character.isDigit(f[1].charAt(0))) {
                of.put(f[1], Integer.parseInt(f[3]));
            }
        }
        return of;
    }

    @Override
    public void deleteService(Lab lab, String node, String vip, int port) {
        Shell.Result r = ipvsadm(lab, node, "-D", "-t", vip + ":" + port);
        if (r.code() != 0) {
            throw new AssertionError("ipvsadm -D: " + r.output());
        }
    }

    @Override
    public double mhRemapBound(int backends) {
        return 2.0 / backends;
    }

    @Override
    public boolean wrrIsRandom() {
        return false;
    }

    @Override
    public boolean drDrainServesOpenConnections() {
        return true;
    }

    @Override
    public String directRoutingProblem(Lab lab, String node) {
        String table = ipvsadm(lab, node, "-Ln").output();
        return table.contains("Route") ? null : "no Route (dr) real server in\n" + table;
    }
}
