package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which backend each director of a {@link BgpLab} picks for the same flows: a probe node beside
 * the client sends its VIP route through one director at a time (bypassing the router's ECMP) and
 * opens the echo port from the same source ports through each, so the 4-tuples are identical and
 * only the director differs. Connections end with a reset (SO_LINGER 0), leaving no TIME_WAIT, so
 * the next director sees the same tuple anew. Call {@link #of} with source ports no earlier call
 * used: a director may still hold the state of a tuple it has seen.
 */
final class DirectorChoices {
    private final BgpLab lab;
    private final String ns;
    private final String address;

    private DirectorChoices(BgpLab lab, String ns, String address) {
        this.lab = lab;
        this.ns = ns;
        this.address = address;
    }

    /** Adds the probe node (host {@code host} of the lab's /24). */
    static DirectorChoices add(BgpLab lab, int host) throws Exception {
        String ns = lab.lab().node("probe", host);
        return new DirectorChoices(lab, ns, lab.lab().subnet() + "." + host);
    }

    /**
     * For each director (1..{@code directors}, by name "dN"), the backend that answered each source
     * port of {@code firstPort}..{@code firstPort + ports - 1} ("-" when none did within 2 s).
     */
    Map<String, Map<Integer, String>> of(int directors, int firstPort, int ports) throws Exception {
        Map<String, Map<Integer, String>> all = new TreeMap<>();
        for (int d = 1; d <= directors; d++) {
            Lab.sh("ip", "-n", ns, "route", "replace", lab.vip() + "/32", "via", lab.lab().subnet() + ".2" + d);
            all.put("d" + d, NamespaceThreads.call(ns, () -> {
                Map<Integer, String> picks = new TreeMap<>();
                for (int p = firstPort; p < firstPort + ports; p++) {
                    picks.put(p, echo(p));
                }
                return picks;
            }));
        }
        return all;
    }

    private String echo(int port) {
        try (Socket s = new Socket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, port));
            s.connect(new InetSocketAddress(lab.vip(), BgpLab.ECHO_PORT), 2000);
            s.setSoTimeout(2000);
            s.setSoLinger(true, 0);
            s.getOutputStream().write("choice\n".getBytes(StandardCharsets.US_ASCII));
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return line != null && line.endsWith(" choice") ? line.substring(0, line.indexOf(' ')) : "-";
        } catch (Exception e) {
            return "-";
        }
    }
}
