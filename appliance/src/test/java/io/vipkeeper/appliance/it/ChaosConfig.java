package io.vipkeeper.appliance.it;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node's config in the fault lab, as values the planner mutates, rendered as a vipkeeper file
 * or a keepalived one. Instance vi_1 (VRID 51, VIP .100 plus optionally .101) always exists;
 * vi_2 (VRID 52, VIP .110, the other node's priority order) comes and goes. Unicast adverts to
 * the peer, so adverts from anyone else must be dropped.
 *
 * @param node lb1 or lb2
 * @param host the node's last address octet
 * @param peerHost the peer's last address octet
 * @param priority vi_1's priority
 * @param garpRepeat garp.master-repeat
 * @param garpDelaySeconds garp.master-delay in seconds
 * @param notifies whether a notify script is set
 * @param extraVip whether vi_1 also has the extra VIP
 * @param track whether vi_1 tracks the interface trk0 (always up)
 * @param authKey 0 = no authentication, else the HMAC key's number (vipkeeper only)
 * @param second whether vi_2 exists
 * @param priority2 vi_2's priority
 */
record ChaosConfig(String node, int host, int peerHost, int priority, int garpRepeat, int garpDelaySeconds,
        boolean notifies, boolean extraVip, boolean track, int authKey, boolean second, int priority2) {
    static final String SUBNET = "198.18.15";
    static final String VIP = SUBNET + ".100";
    static final String EXTRA_VIP = SUBNET + ".101";
    static final String VIP2 = SUBNET + ".110";
    static final String STRANGER = SUBNET + ".66";
    static final String TRACKED = "trk0";
    static final int API_PORT = 9180;
    static final int VRID = 51;
    static final int VRID2 = 52;
    static final String VI_1 = "vi_1";
    static final String VI_2 = "vi_2";

    /** The starting config of lb1 (150 for vi_1, 100 for vi_2) or lb2 (the other way round). */
    static ChaosConfig initial(String node) {
        boolean first = node.equals("lb1");
        return new ChaosConfig(node, first ? 1 : 2, first ? 2 : 1, first ? 150 : 100, 1, 1, false, false, false, 0,
                false, first ? 100 : 150);
    }

    /** The node's own address. */
    String address() {
        return SUBNET + "." + host;
    }

    /** Instances by name, with their VIPs and priority. */
    Map<String, Instance> instances() {
        Map<String, Instance> m = new LinkedHashMap<>();
        m.put(VI_1, new Instance(VI_1, VRID, priority, extraVip ? List.of(VIP, EXTRA_VIP) : List.of(VIP)));
        if (second) {
            m.put(VI_2, new Instance(VI_2, VRID2, priority2, List.of(VIP2)));
        }
        return m;
    }

    /** One VRRP instance: name, VRID, priority, VIPs. */
    record Instance(String name, int vrid, int priority, List<String> vips) {
    }

    /** The instance a VIP belongs to. */
    static String instanceOf(String vip) {
        return vip.equals(VIP2) ? VI_2 : VI_1;
    }

    /** Every VIP the lab may configure. */
    static List<String> allVips() {
        return List.of(VIP, EXTRA_VIP, VIP2);
    }

    ChaosConfig withPriority(int p) {
        return new ChaosConfig(node, host, peerHost, p, garpRepeat, garpDelaySeconds, notifies, extraVip, track, authKey,
                second, priority2);
    }

    ChaosConfig withGarp(int repeat, int delaySeconds) {
        return new ChaosConfig(node, host, peerHost, priority, repeat, delaySeconds, notifies, extraVip, track, authKey,
                second, priority2);
    }

    ChaosConfig withNotify(boolean n) {
        return new ChaosConfig(node, host, peerHost, priority, garpRepeat, garpDelaySeconds, n, extraVip, track, authKey,
                second, priority2);
    }

    ChaosConfig withExtraVip(boolean e) {
        return new ChaosConfig(node, host, peerHost, priority, garpRepeat, garpDelaySeconds, notifies, e, track, authKey,
                second, priority2);
    }

    ChaosConfig withTrack(boolean t) {
        return new ChaosConfig(node, host, peerHost, priority, garpRepeat, garpDelaySeconds, notifies, extraVip, t, authKey,
                second, priority2);
    }

    ChaosConfig withAuthKey(int k) {
        return new ChaosConfig(node, host, peerHost, priority, garpRepeat, garpDelaySeconds, notifies, extraVip, track, k,
                second, priority2);
    }

    ChaosConfig withSecond(boolean s) {
        return new ChaosConfig(node, host, peerHost, priority, garpRepeat, garpDelaySeconds, notifies, extraVip, track,
                authKey, s, priority2);
    }

    /**
     * The vipkeeper file; {@code notifyScript} is the script's path, {@code intervalMs} the advert
     * interval, {@code refreshSeconds} garp.master-refresh (0: none).
     */
    String vipkeeper(int intervalMs, String notifyScript, int refreshSeconds) {
        StringBuilder sb = new StringBuilder();
        sb.append("vipkeeper {\n");
        sb.append("  node-name = ").append(node).append('\n');
        sb.append("  api.listen = \"").append(address()).append(':').append(API_PORT).append("\"\n");
        sb.append("  vrrp.instances {\n");
        for (Instance i : instances().values()) {
            sb.append("    ").append(i.name()).append(" {\n");
            sb.append("      interface = eth0\n");
            sb.append("      virtual-router-id = ").append(i.vrid()).append('\n');
            sb.append("      priority = ").append(i.priority()).append('\n');
            sb.append("      advert-interval = ").append(intervalMs).append("ms\n");
            sb.append("      virtual-ips = [").append(String.join(", ", i.vips().stream()
                    .map(v -> "\"" + v + "/24\"").toList())).append("]\n");
            sb.append("      unicast-peers = [\"").append(SUBNET).append('.').append(peerHost).append("\"]\n");
            if (i.name().equals(VI_1)) {
                sb.append("      garp { master-repeat = ").append(garpRepeat).append(", master-delay = ")
                        .append(garpDelaySeconds).append("s, master-refresh = ").append(refreshSeconds).append("s }\n");
                if (notifies) {
                    sb.append("      notify-script = \"").append(notifyScript).append("\"\n");
                }
                if (track) {
                    sb.append("      track-interfaces = [\"").append(TRACKED).append("\"]\n");
                }
                if (authKey != 0) {
                    sb.append("      authentication { type = hmac-sha256, key = \"hex:").append(key(authKey))
                            .append("\" }\n");
                }
            }
            sb.append("    }\n");
        }
        sb.append("  }\n");
        sb.append("}\n");
        return sb.toString();
    }

    /** The keepalived instances (keepalived 2.2.7 has no HMAC: authKey must be 0). */
    String keepalived(int intervalMs, String notifyScript, int refreshSeconds) {
        if (authKey != 0) {
            throw new IllegalStateException("keepalived 2.2.7 has no hmac-sha256 authentication");
        }
        StringBuilder sb = new StringBuilder();
        for (Instance i : instances().values()) {
            List<String> extra = new ArrayList<>();
            extra.add("unicast_src_ip " + address());
            extra.add("unicast_peer {\n    " + SUBNET + "." + peerHost + "\n  }");
            extra.add("check_unicast_src");
            if (i.name().equals(VI_1)) {
                extra.add("garp_master_repeat " + garpRepeat);
                extra.add("garp_master_delay " + garpDelaySeconds);
                if (refreshSeconds > 0) {
                    extra.add("garp_master_refresh " + refreshSeconds);
                }
                if (notifies) {
                    extra.add("notify \"" + notifyScript + "\"");
                }
                if (track) {
                    extra.add("track_interface {\n    " + TRACKED + "\n  }");
                }
            }
            sb.append(Keepalived.instance(i.name(), 3, i.vrid(), i.priority(),
                    String.format(java.util.Locale.ROOT, "%.2f", intervalMs / 1000.0),
                    String.join("\n    ", i.vips().stream().map(v -> v + "/24").toList()), String.join("\n  ", extra)));
        }
        return sb.toString();
    }

    /** A 32-byte HMAC key in hex, different per number. */
    static String key(int n) {
        return "%02x".formatted(n & 0xff).repeat(16) + "a5".repeat(16);
    }

    /** One line for the timeline: what differs from the initial config. */
    String summary() {
        ChaosConfig base = initial(node);
        List<String> parts = new ArrayList<>();
        parts.add("prio " + priority);
        if (garpRepeat != base.garpRepeat || garpDelaySeconds != base.garpDelaySeconds) {
            parts.add("garp " + garpRepeat + "/" + garpDelaySeconds + "s");
        }
        if (notifies) {
            parts.add("notify");
        }
        if (extraVip) {
            parts.add("+" + EXTRA_VIP);
        }
        if (track) {
            parts.add("track " + TRACKED);
        }
        if (authKey != 0) {
            parts.add("hmac key " + authKey);
        }
        if (second) {
            parts.add(VI_2 + " prio " + priority2);
        }
        return String.join(", ", parts);
    }

    /** SHA-256 of {@code text} in hex, as {@code sha256sum} prints it. */
    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
