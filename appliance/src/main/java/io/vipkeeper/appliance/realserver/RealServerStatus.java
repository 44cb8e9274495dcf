package io.vipkeeper.appliance.realserver;

import io.vipkeeper.appliance.config.Addresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code realserver status} found: each VIP on lo or not, each ARP sysctl against its
 * wanted value.
 *
 * @param vips the configured VIPs
 * @param sysctls the wanted sysctls
 */
public record RealServerStatus(List<Vip> vips, List<Setting> sysctls) {
    /**
     * A VIP.
     *
     * @param address the VIP
     * @param present whether it is on lo as /32 or /128
     */
    public record Vip(InetAddress address, boolean present) {
    }

    /**
     * A sysctl.
     *
     * @param sysctl which
     * @param value its value now
     * @param wanted its value when up
     */
    public record Setting(Sysctl sysctl, int value, int wanted) {
        /** Whether it has the wanted value. */
        public boolean ok() {
            return value == wanted;
        }
    }

    /** Copies both lists. */
    public RealServerStatus {
        vips = List.copyOf(vips);
        sysctls = List.copyOf(sysctls);
    }

    /** Every VIP present and every sysctl at its wanted value. */
    public boolean up() {
        return vips.stream().allMatch(Vip::present) && sysctls.stream().allMatch(Setting::ok);
    }

    /** One line per VIP and sysctl, then {@code up} or {@code not up}. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (Vip v : vips) {
            out.add(LoopbackVips.describe(v.address()) + " on " + LoopbackVips.LO + ": "
                    + (v.present() ? "present" : "missing"));
        }
        for (Setting s : sysctls) {
            out.add(s.sysctl().name() + " " + s.value() + (s.ok() ? "" : " (wanted " + s.wanted() + ")"));
        }
        out.add(up() ? "up" : "not up");
        return out;
    }

    /** The same as one JSON object, for scripts and monitoring. */
    public String json() {
        String vipsJson = vips.stream().map(v -> "{\"address\":" + quote(Addresses.format(v.address()))
                + ",\"prefix\":" + Addresses.bits(v.address())
                + ",\"present\":" + v.present() + "}").collect(Collectors.joining(","));
        String sysctlsJson = sysctls.stream().map(s -> "{\"name\":" + quote(s.sysctl().name())
                + ",\"value\":" + s.value() + ",\"wanted\":" + s.wanted() + "}").collect(Collectors.joining(","));
        return "{\"up\":" + up() + ",\"vips\":[" + vipsJson + "],\"sysctls\":[" + sysctlsJson + "]}";
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
