package io.vipkeeper.appliance.it;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The nftables engine's table ({@code inet vipkeeper_lb}) in a lab node, read with {@code nft} as an oracle. */
final class NftLbTable {
    private final Lab lab;
    private final String node;
    private final Pattern weight;

    /** The table in {@code node} of {@code lab}, whose backends are on the lab's subnet. */
    NftLbTable(Lab lab, String node) {
        this.lab = lab;
        this.node = node;
        this.weight = Pattern.compile("(" + Pattern.quote(lab.subnet()) + "\\.\\d+) \\. (\\d+) : 0x([0-9a-f]+)");
    }

    /** Runs {@code nft command} in the node. */
    String nft(String command) throws IOException, InterruptedException {
        return Lab.sh("ip", "netns", "exec", lab.ns(node), "nft", command);
    }

    /**
     * The engine's table without its counts (traffic moves them; nothing else should): counter
     * set elements' and the services' named counters' alike.
     */
    String listing() throws Exception {
        return nft("list table inet vipkeeper_lb").replaceAll("counter packets \\d+ bytes \\d+", "counter")
                .replaceAll("packets \\d+ bytes \\d+", "packets bytes");
    }

    /**
     * Every backend's weight in the engine's weight maps, as nft lists them ("ADDR . PORT : 0xWEIGHT"),
     * by ADDR:PORT; empty while the table is missing.
     */
    Map<String, Integer> weights() {
        String table;
        try {
            table = nft("list table inet vipkeeper_lb");
        } catch (Exception e) {
            return Map.of();
        }
        Map<String, Integer> weights = new HashMap<>();
        Matcher m = weight.matcher(table);
        while (m.find()) {
            weights.put(m.group(1) + ":" + m.group(2), Integer.parseInt(m.group(3), 16));
        }
        return weights;
    }
}
