package io.vipkeeper.appliance.it;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The NAT director lab the nftables data-plane ITs share: a director namespace holding the VIP and
 * forwarding, a client at .50, busybox web servers whose way back to the client is the director.
 */
final class NatDirector {
    private NatDirector() {
    }

    /**
     * Adds the director (at {@code .director}, with {@code vip} on eth0) and the client (at .50).
     * Replies come back through the director on the same port: no redirects telling backends to go
     * straight to the client, which would bypass the un-DNAT.
     */
    static String create(Lab lab, int director, String vip) throws Exception {
        String ns = lab.node("director", director);
        lab.node("client", 50);
        Lab.sh("ip", "-n", ns, "addr", "add", vip + "/32", "dev", "eth0");
        Lab.sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1",
                "net.ipv4.conf.all.send_redirects=0", "net.ipv4.conf.eth0.send_redirects=0");
        return ns;
    }

    /**
     * The director's config: node director on {@code dataPlane} with the {@code api} settings, and
     * the {@code services} (see {@link #web}) reconciled every second, with other {@code ipvs} settings.
     */
    static String config(String dataPlane, String api, String ipvs, String... services) {
        return """
                vipkeeper {
                  node-name = director
                  data-plane = %s
                  %s
                  ipvs {
                    reconcile-interval = 1s
                    %s
                    virtual-servers {
                      %s
                    }
                  }
                }
                """.formatted(dataPlane, api, ipvs, String.join("\n", services));
    }

    /** Virtual server web: {@code vip}:80 with {@code scheduler}, {@code check} and {@code realServers} (HOCON). */
    static String web(String vip, String scheduler, String check, String realServers) {
        return """
                web {
                  address = "%s"
                  port = 80
                  scheduler = %s
                  %s
                  real-servers = [%s]
                }
                """.formatted(vip, scheduler, check, realServers);
    }

    /** busybox httpd on port 80 in {@code name}'s namespace, serving {@code root}. */
    static AutoCloseable httpd(Lab lab, String name, Path root) throws Exception {
        return WebBackends.background(lab.ns(name), null, "busybox", "httpd", "-f", "-p", "80", "-h", root.toString());
    }

    /** Plain NAT: {@code name}'s way back to the client (.50) is through the director. */
    static void routeBack(Lab lab, String name, String subnet, int director) throws Exception {
        Lab.sh("ip", "-n", lab.ns(name), "route", "add", subnet + ".50/32", "via", subnet + "." + director);
    }

    /** Waits up to 30 s for {@code condition}; a failure shows the kernel's weights and the daemon's log. */
    static void await(NftLbTable lb, JarProcess daemon, String what, BooleanSupplier condition)
            throws InterruptedException {
        Lab.await(30, what + "\nnft:\n" + lb.weights() + "\ndaemon:\n" + (daemon == null ? "-" : daemon.log()), condition);
    }

    /** Stops the web servers, then the daemon, then the lab (and with it every table in it); any may be null. */
    static void tearDown(Map<String, AutoCloseable> servers, JarProcess daemon, Lab lab) throws Exception {
        for (AutoCloseable s : servers.values()) {
            s.close();
        }
        servers.clear();
        if (daemon != null) {
            daemon.close();
        }
        if (lab != null) {
            lab.close();
        }
    }
}
