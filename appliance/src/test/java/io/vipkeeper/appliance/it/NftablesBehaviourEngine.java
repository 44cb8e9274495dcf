package io.vipkeeper.appliance.it;

import java.util.Map;
import java.util.TreeMap;

/**
 * The nftables engine for {@link EngineBehaviour}: {@code nft} reads its table {@code inet
 * vipkeeper_lb} (weights through {@link NftLbTable}); drift is the whole table deleted by hand. dr
 * lives in {@code netdev vipkeeper_dsr}, in ingress without conntrack: a dr backend that leaves
 * loses its connections at once (NAT drains as with IPVS: conntrack carries the flows).
 */
final class NftablesBehaviourEngine implements BehaviourEngine {
    @Override
    public String dataPlane() {
        return "nftables";
    }

    @Override
    public Map<String, Integer> weights(Lab lab, String node, String vip, int port) {
        Map<String, Integer> of = new TreeMap<>();
        new NftLbTable(lab, node).weights().forEach((backend, weight) -> {
            if (backend.endsWith(":" + port)) {
                of.put(backend, weight);
            }
        });
        return of;
    }

    @Override
    public void deleteService(Lab lab, String node, String vip, int port) throws Exception {
        new NftLbTable(lab, node).nft("delete table inet vipkeeper_lb");
    }

    @Override
    public double mhRemapBound(int backends) {
        return 1.1 / backends;
    }

    @Override
    public String checkTiming() {
        return "interval = 500ms, timeout = 400ms";
    }

    @Override
    public boolean wrrIsRandom() {
        return true;
    }

    @Override
    public boolean drDrainServesOpenConnections() {
        return false;
    }

    @Override
    public String directRoutingProblem(Lab lab, String node) {
        try {
            String dsr = new NftLbTable(lab, node).nft("list table netdev vipkeeper_dsr");
            return dsr.contains("fwd") ? null : "no fwd rule in netdev vipkeeper_dsr:\n" + dsr;
        } catch (Exception e) {
            return "no netdev vipkeeper_dsr table: " + e.getMessage();
        }
    }
}
