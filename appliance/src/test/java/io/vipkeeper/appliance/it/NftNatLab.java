package io.vipkeeper.appliance.it;

import java.nio.file.Path;
import java.util.List;

/**
 * The nftables engine's NAT lab: a balancer (lb, .10) holding the VIP .100, a client (.20), and
 * web1..webN (.11, .12, ...) serving their own name ({@link WebBackends}) on a /28 that leaves
 * the client out, with their default route via the balancer, so replies to what the engine DNATs
 * come back through it; the engine runs on a thread in lb's namespace. Closing ends both.
 */
final class NftNatLab implements AutoCloseable {
    private final Lab lab;
    private final NftEngineThread engine;
    private final int webs;

    private NftNatLab(Lab lab, NftEngineThread engine, int webs) {
        this.lab = lab;
        this.engine = engine;
        this.webs = webs;
    }

    /** The lab on {@code subnet}.0/24 with {@code webs} web servers on each of {@code ports}. */
    static NftNatLab create(Path dir, String subnet, int webs, int... ports) throws Exception {
        Lab lab = Lab.create(subnet);
        NftEngineThread engine = null;
        try {
            WebBackends.add(lab, dir, webs, ports);
            String lb = lab.node("lb", 10);
            lab.node("client", 20);
            Lab.sh("ip", "-n", lb, "addr", "add", subnet + ".100/32", "dev", "eth0");
            // Replies leave by the interface they came in on: no redirect may send the backends to the client.
            Lab.sh("ip", "netns", "exec", lb, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.send_redirects=0",
                    "net.ipv4.conf.eth0.send_redirects=0");
            for (int i = 1; i <= webs; i++) {
                prefix(lab, "web" + i, 28);
                Lab.sh("ip", "-n", lab.ns("web" + i), "route", "add", "default", "via", subnet + ".10");
            }
            engine = NftEngineThread.start(lb);
            for (int i = 1; i <= webs; i++) {
                String web = "web" + i;
                String address = subnet + ".1" + i;
                Lab.await(10, web + " serving", () -> WebBackends.get(lab.ns(web), null, address, ports[0]) != null);
            }
            return new NftNatLab(lab, engine, webs);
        } catch (Exception | Error e) {
            try {
                if (engine != null) {
                    engine.close();
                }
            } finally {
                lab.close();
            }
            throw e;
        }
    }

    /** Puts web server {@code web}'s address on a /{@code length} (its routes stay as they were). */
    static void prefix(Lab lab, String web, int length) throws Exception {
        String ns = lab.ns(web);
        String old = Lab.sh("ip", "-n", ns, "-o", "-4", "addr", "show", "dev", "eth0").replaceAll("(?s).*inet (\\S+).*", "$1");
        String address = old.substring(0, old.indexOf('/'));
        Lab.sh("ip", "-n", ns, "addr", "add", address + "/" + length, "dev", "eth0");
        Lab.sh("ip", "-n", ns, "addr", "del", old, "dev", "eth0");
    }

    /**
     * IPv6 on the lab, {@code six} a /64 ending in "::": lb ::10/64 and the VIP ::100 (forwarding
     * on), the client ::20 and ::21 with its default route via lb, and each web webN ::1N on a /124
     * of its own (the client off its link) routed back through lb, taking no redirects.
     */
    void six(String six) throws Exception {
        String lb = lab.ns("lb");
        Lab.sh("ip", "-n", lb, "addr", "add", six + "10/64", "dev", "eth0");
        Lab.sh("ip", "-n", lb, "addr", "add", six + "100/128", "dev", "eth0");
        Lab.sh("ip", "netns", "exec", lb, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
        String client = lab.ns("client");
        for (String a : List.of(six + "20/64", six + "21/64")) {
            Lab.sh("ip", "-n", client, "addr", "add", a, "dev", "eth0");
        }
        Lab.sh("ip", "-n", client, "route", "add", "default", "via", six + "10");
        for (int i = 1; i <= webs; i++) {
            String ns = lab.ns("web" + i);
            // A router's redirect would send the replies straight to the client, around the un-DNAT.
            Lab.sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_redirects=0",
                    "net.ipv6.conf.eth0.accept_redirects=0");
            Lab.sh("ip", "-n", ns, "addr", "add", six + "1" + i + "/124", "dev", "eth0");
            Lab.sh("ip", "-n", ns, "route", "add", "default", "via", six + "10");
        }
    }

    Lab lab() {
        return lab;
    }

    NftEngineThread engine() {
        return engine;
    }

    @Override
    public void close() throws Exception {
        try {
            engine.close();
        } finally {
            lab.close();
        }
    }
}
