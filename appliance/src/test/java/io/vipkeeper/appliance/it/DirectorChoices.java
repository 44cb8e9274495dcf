package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.vm.NamespaceThreads;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Which backend each director of a {@link BgpLab} picks for the same flows: a probe node beside
 * the client sends its VIP route through one director at a time (bypassing the router's ECMP) and
 * opens the echo port from the same source ports through each, so the 4-tuples are identical and
 * only the director differs. Connections end with a reset (SO_LINGER 0), leaving no TIME_WAIT, so
 * the next director sees the same tuple anew. Each {@link #round} uses source ports no earlier round
 * used, since a director may still hold the state of a tuple it has seen; its picks are keyed by
 * the flow's index in the round, so rounds compare.
 */
final class DirectorChoices {
    private final BgpLab lab;
    private final String ns;
    private final String address;
    private int nextPort = 40000;

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
     * For each director (1..{@code directors}, by name "dN"), the backend that answered each of
     * {@code flows} flows (by index; "-" when none did within 2 s), from fresh source ports.
     */
    Map<String, Map<Integer, String>> round(int directors, int flows) throws Exception {
        int firstPort = nextPort;
        nextPort += flows;
        Map<String, Map<Integer, String>> all = new TreeMap<>();
        for (int d = 1; d <= directors; d++) {
            Lab.sh("ip", "-n", ns, "route", "replace", lab.vip() + "/32", "via", lab.lab().subnet() + ".2" + d);
            all.put("d" + d, NamespaceThreads.call(ns, () -> {
                Map<Integer, String> picks = new TreeMap<>();
                for (int i = 0; i < flows; i++) {
                    picks.put(i, echo(firstPort + i));
                }
                return picks;
            }));
        }
        return all;
    }

    /**
     * Rounds until every director's picks satisfy {@code done}, none is "-" and all directors agree,
     * or {@code seconds} pass; returns the last round (the caller checks it). Directors see a
     * backend's flap up to a health-check interval apart and reprogram at their own pace, so their
     * picks may differ for that window; what must hold is that they agree once it has passed.
     */
    Map<String, Map<Integer, String>> await(int directors, int flows, Predicate<Map<Integer, String>> done, double seconds)
            throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (true) {
            Map<String, Map<Integer, String>> all = round(directors, flows);
            if (settled(all, done) || System.nanoTime() > deadline) {
                return all;
            }
            Thread.sleep(200);
        }
    }

    /** Whether every director's picks satisfy {@code done}, none is "-", and all directors agree. */
    static boolean settled(Map<String, Map<Integer, String>> all, Predicate<Map<Integer, String>> done) {
        return identical(all) && all.values().stream().allMatch(c -> done.test(c) && !c.containsValue("-"));
    }

    /** Whether every director picked the same backend for every flow. */
    static boolean identical(Map<String, Map<Integer, String>> all) {
        return all.values().stream().distinct().count() == 1;
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
