package io.vipkeeper.appliance.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything a config file says, validated and immutable. Built once per load by
 * {@link ConfigLoader}; a reload builds a new one and compares.
 *
 * @param source the file it was read from, as named to the loader
 * @param digest SHA-256 (hex) of the contents of the file and of its includes in the order they
 *     were read ({@code cat FILE INCLUDE... | sha256sum}; for a file without includes its sha256sum)
 * @param warnings what the operator should fix that does not stop the load (a world-readable file
 *     holding secrets), one line each
 * @param nodeName this host's name in logs and status (default: the host name)
 * @param logLevel the log level unless the command line raises it
 * @param api the status API: where it listens, its connection caps and idle timeout
 * @param allowEmpty the file says it means to configure nothing (or to remove everything on a reload)
 * @param dataPlane the engine the file asks for and the one it was checked against
 * @param bgp the VIPs announced through the local routing daemon (empty: none)
 */
public record Settings(
        Path source,
        String digest,
        List<String> warnings,
        String nodeName,
        LogLevel logLevel,
        ApiSettings api,
        boolean allowEmpty,
        DataPlane dataPlane,
        VrrpSettings vrrp,
        IpvsSettings ipvs,
        RealServerModeSettings realServer,
        BgpSettings bgp) {

    /** Where the status API listens; empty when disabled. */
    public Optional<InetSocketAddress> apiListen() {
        return api.listen();
    }

    /**
     * {@code vipkeeper.data-plane} and what it came to.
     *
     * @param choice what the file says (auto by default)
     * @param engine the engine the virtual servers were checked against ("ipvs", "nftables"; "auto"
     *     when the load checked against no engine)
     */
    public record DataPlane(DataPlaneChoice choice, String engine) {
    }

    /** Copies the warnings. */
    public Settings {
        warnings = List.copyOf(warnings);
    }

    /** These settings with {@code more} warnings after their own. */
    public Settings withWarnings(List<String> more) {
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(more);
        return new Settings(source, digest, all, nodeName, logLevel, api, allowEmpty, dataPlane, vrrp, ipvs, realServer, bgp);
    }

    /** Whether the daemon has nothing to run: no VRRP instance, no virtual server, no sync daemon, no bgp VIP. */
    public boolean runsNothing() {
        return vrrp.instances().isEmpty() && ipvs.virtualServers().isEmpty() && ipvs.syncDaemon().isEmpty()
                && bgp.isEmpty();
    }

    /** Whether no command has anything to do: nothing to run and no real-server VIP either. */
    public boolean configuresNothing() {
        return runsNothing() && realServer.vips().isEmpty();
    }

    /** One line for operators: the file is good, and how much it configures. */
    public String summary() {
        return source + ": OK: " + counts();
    }

    /** How much the file configures: {@code 1 VRRP instance, 2 virtual servers, 4 real servers}. */
    public String counts() {
        int realServers = ipvs.virtualServers().values().stream().mapToInt(v -> v.realServers().size()).sum();
        return String.format("%d VRRP instance%s, %d virtual server%s, %d real server%s",
                vrrp.instances().size(), plural(vrrp.instances().size()),
                ipvs.virtualServers().size(), plural(ipvs.virtualServers().size()),
                realServers, plural(realServers))
                // Only when there are some: the line operators and tests know stays as it was.
                + (bgp.isEmpty() ? "" : String.format(", %d bgp VIP%s", bgp.vips().size(), plural(bgp.vips().size())));
    }

    /**
     * These settings without their VRRP instances and virtual servers (and without the file's
     * name, digest and warnings, which are about the file): what is left is compared whole by a
     * reload's difference, so no key can change unreported.
     */
    public Settings withoutNamedEntries() {
        return new Settings(null, "", List.of(), nodeName, logLevel, api, allowEmpty, dataPlane,
                new VrrpSettings(java.util.Map.of(), vrrp.scripts(), vrrp.syncGroups(), vrrp.trackFiles(),
                        vrrp.trackProcesses()),
                ipvs.withVirtualServers(java.util.Map.of()),
                realServer, bgp);
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }
}
