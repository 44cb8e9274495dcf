package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.vipkeeper.appliance.dataplane.PortList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads a virtual server's {@code ports} (a multiport service, as nftlb's {@code virtports}):
 * {@code ports = [80, 443, "8000-8100"]}, each element a port or a range "A-B" in 1..65535, and
 * finds two services on one address and protocol that would share a port.
 */
final class PortsReader {
    private PortsReader() {
    }

    /** The list at {@code n.ports}; null when an element was reported (or the list is empty). */
    static PortList read(ConfigNode n) {
        ConfigList l = n.list("ports");
        if (l == null) {
            return null;
        }
        if (l.isEmpty()) {
            n.problem("ports", "lists no port (give ports = [80, \"8000-8100\"], or port)");
            return null;
        }
        List<PortList.Range> ranges = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < l.size(); i++) {
            ConfigValue e = l.get(i);
            String text = e.valueType() == ConfigValueType.NUMBER || e.valueType() == ConfigValueType.STRING
                    ? String.valueOf(e.unwrapped()) : null;
            try {
                if (text == null) {
                    throw new IllegalArgumentException("expected a port or a range \"A-B\", got " + ConfigNode.describe(e));
                }
                ranges.add(PortList.range(text));
            } catch (IllegalArgumentException bad) {
                n.problems().add(e.origin(), n.path("ports") + "[" + i + "]: " + bad.getMessage());
                ok = false;
            }
        }
        return ok ? new PortList(ranges) : null;
    }

    /**
     * The name of a server in {@code others} on {@code vs}'s address and protocol that has one of
     * its ports, or null: a packet must find one service (nft refuses overlapping map entries).
     */
    static String overlapping(VirtualServer vs, Collection<VirtualServer> others) {
        if (vs.fwmark() != 0) {
            return null;
        }
        PortList mine = ports(vs);
        for (VirtualServer o : others) {
            if (o.fwmark() == 0 && o.protocol() == vs.protocol() && o.address().equals(vs.address())
                    && (!vs.ports().isEmpty() || !o.ports().isEmpty()) && mine.overlaps(ports(o))) {
                return o.name();
            }
        }
        return null;
    }

    /** A server's ports as a list: its list, or its one port (none for port 0, all ports). */
    private static PortList ports(VirtualServer vs) {
        return !vs.ports().isEmpty() || vs.port() == 0 ? vs.ports() : new PortList(List.of(new PortList.Range(vs.port(), vs.port())));
    }
}
