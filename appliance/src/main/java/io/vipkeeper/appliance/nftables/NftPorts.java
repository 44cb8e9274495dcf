package io.vipkeeper.appliance.nftables;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.util.NetUtil;
import io.vipkeeper.appliance.dataplane.PortList;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TransportProtocol;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

/**
 * Multiport services in the engine's layout (nftlb's virtports): the family's {@code ports4} /
 * {@code ports6} verdict map has interval keys, VIP . protocol . port or port range, one entry
 * per range of the service's {@link PortList}, each to the service's chain, which is written as
 * any service's. Prerouting looks it up after the single-port map, which nft may not mix with
 * intervals without recreating it.
 */
final class NftPorts {
    /** Longest port list spelled out in a chain name; a longer one is named by its CRC32. */
    private static final int READABLE = 40;

    private NftPorts() {
    }

    /** The family's verdict map of port lists. */
    static String ports(boolean ipv6) {
        return ipv6 ? "ports6" : "ports4";
    }

    /** Its declaration. */
    static String declaration(boolean ipv6) {
        return " { typeof " + NftLayout.family(ipv6) + " daddr . meta l4proto . tcp dport : verdict; flags interval; }";
    }

    /** The prerouting rule that looks a packet of the family up in it. */
    static String hookRule(boolean ipv6) {
        return "fib daddr type local " + NftLayout.family(ipv6) + " daddr . meta l4proto . th dport vmap @" + ports(ipv6);
    }

    /**
     * The chain of a multiport service: {@code svc_tcp_c612e664_p80_443_8000to8100}, or with a
     * long list {@code svc_tcp_c612e664_l<crc32 of the list>}. The list is in the name, so an
     * entry that no longer matches its chain reads as not vipkeeper's.
     */
    static String chain(ServiceKey key) {
        String list = key.ports().toString();
        String prefix = "svc_" + NftLayout.protocolName(key) + "_" + HexFormat.of().formatHex(key.address().getAddress()) + "_";
        if (list.length() <= READABLE) {
            return prefix + "p" + list.replace(",", "_").replace("-", "to");
        }
        CRC32 crc = new CRC32();
        crc.update(list.getBytes(StandardCharsets.US_ASCII));
        return prefix + "l" + String.format("%08x", crc.getValue());
    }

    /** The verdict map elements of a multiport service. */
    static String elements(ServiceKey key) {
        String prefix = NetUtil.toAddressString(key.address()) + " . " + NftLayout.protocolName(key) + " . ";
        return key.ports().ranges().stream().map(r -> prefix + r + " : goto " + NftLayout.chain(key))
                .collect(Collectors.joining(", "));
    }

    /**
     * The services of a ports map read back, each with the chain its entries go to; a null key
     * for entries that do not make up the list their chain is named after (one deleted or added by
     * hand, or not vipkeeper's), which the reader treats as a stray entry.
     */
    static List<Map.Entry<ServiceKey, String>> read(JsonNode map, boolean ipv6) {
        List<Map.Entry<ServiceKey, String>> out = new ArrayList<>();
        if (map == null) {
            return out;
        }
        // chain -> address . protocol -> ranges
        Map<String, Map<String, List<PortList.Range>>> byChain = new LinkedHashMap<>();
        for (JsonNode e : map.path("elem")) {
            String chain = e.path(1).path("goto").path("target").asText();
            JsonNode k = e.path(0).path("concat");
            JsonNode port = k.path(2);
            try {
                PortList.Range range = port.has("range") ? new PortList.Range(port.get("range").get(0).asInt(),
                        port.get("range").get(1).asInt()) : new PortList.Range(port.asInt(), port.asInt());
                byChain.computeIfAbsent(chain, c -> new LinkedHashMap<>())
                        .computeIfAbsent(k.path(0).asText() + " " + k.path(1).asText(), a -> new ArrayList<>()).add(range);
            } catch (RuntimeException unreadable) {
                out.add(new AbstractMap.SimpleEntry<>(null, chain));
            }
        }
        byChain.forEach((chain, services) -> {
            if (services.size() != 1) {
                out.add(new AbstractMap.SimpleEntry<>(null, chain));
                return;
            }
            Map.Entry<String, List<PortList.Range>> only = services.entrySet().iterator().next();
            ServiceKey key = key(only.getKey(), new PortList(only.getValue()), ipv6);
            out.add(new AbstractMap.SimpleEntry<>(key != null && NftLayout.chain(key).equals(chain) ? key : null, chain));
        });
        return out;
    }

    private static ServiceKey key(String addressAndProtocol, PortList ports, boolean ipv6) {
        String[] f = addressAndProtocol.split(" ");
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(f[0]);
        TransportProtocol protocol = java.util.Arrays.stream(TransportProtocol.values()).filter(p -> p.configName().equals(f[1]))
                .findFirst().orElse(null);
        if (bytes == null || protocol == null || (bytes.length == 16) != ipv6) {
            return null;
        }
        try {
            return ServiceKey.ofPorts(protocol, InetAddress.getByAddress(bytes), ports);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
