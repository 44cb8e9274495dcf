package io.vipkeeper.appliance.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads the whole (merged, resolved) tree into {@link Settings}, recording every problem. */
final class SettingsReader {
    /** An empty or truncated file reads as a valid config that removes everything; say so instead. */
    static final String NOTHING_TO_DO = "nothing to do: no VRRP instance, virtual server or real-server VIP is"
            + " configured (an empty or half-written file?); a file meant to configure nothing says"
            + " vipkeeper.allow-empty = true";

    private SettingsReader() {
    }

    /** The check for the engine {@code choice} resolves to; a choice that cannot be honoured is reported. */
    private static EngineCheck engine(ConfigNode v, DataPlaneChoice choice, DataPlaneResolver engines) {
        if (choice == null) {
            return EngineCheck.NONE;
        }
        try {
            return new EngineCheck(engines.capabilities(choice));
        } catch (IllegalArgumentException e) {
            v.problem("data-plane", e.getMessage());
            return EngineCheck.NONE;
        }
    }

    /**
     * @param source the file as named to the loader (a file with nothing to do is reported at its line 1)
     * @param digest and {@code warnings}: what the load found out about the files, passed on
     */
    static Settings read(ConfigNode root, Path source, String digest, List<String> warnings, ConfigCache cache,
            DataPlaneResolver engines) {
        ConfigNode v = root.child("vipkeeper");
        String nodeName = v.optionalString("node-name").orElseGet(SettingsReader::hostName);
        LogLevel logLevel = v.enumValue("log-level", LogLevel.class);
        boolean allowEmpty = Boolean.TRUE.equals(v.bool("allow-empty"));
        ApiSettings api = ApiReader.read(v.child("api"));
        // Both reach every program through reference.conf's substitutions; checked here once more so
        // a typo is found even while no program uses them.
        ProgramReader.user(v, "script-user");
        v.duration("notify-timeout", Duration.ofMillis(10), Duration.ofHours(1));
        DataPlaneChoice dataPlane = v.enumValue("data-plane", DataPlaneChoice.class);
        EngineCheck engine = engine(v, dataPlane, engines);
        ConfigNode vrrpNode = v.child("vrrp");
        VrrpSettings vrrp = VrrpReader.read(vrrpNode);
        IpvsSettings ipvs = IpvsReader.read(v.child("ipvs"), vrrp.instances(),
                vrrpNode.child("instances").object().keySet(), cache, engine, bgpVipsWritten(v));
        RealServerModeSettings realServer = realServerMode(v.child("real-server"));
        // With a problem so far the virtual servers may be partly read: no VIP is called unserved for that.
        BgpSettings bgp = BgpReader.read(v.child("bgp"), vrrpVips(vrrp), root.problems().isEmpty() ? ipvs : null);
        BgpSchedulerCheck.check(v, ipvs, bgp);
        v.checkUnknownKeys();
        root.checkUnknownKeys();
        Settings settings = new Settings(source, digest, warnings, nodeName, logLevel, api, allowEmpty,
                new Settings.DataPlane(dataPlane == null ? DataPlaneChoice.AUTO : dataPlane, engine.engine()), vrrp, ipvs,
                realServer, bgp);
        // Only for an otherwise clean file: with a mistake in it, that is the news.
        if (root.problems().isEmpty() && !allowEmpty && settings.configuresNothing()) {
            root.problems().add(new ConfigProblem(source.toString(), 1, NOTHING_TO_DO));
        }
        return settings;
    }

    /** Whether the file lists bgp VIPs (looked at only: the bgp section is read, and its problems reported, later). */
    private static boolean bgpVipsWritten(ConfigNode v) {
        return v.object().get("bgp") instanceof com.typesafe.config.ConfigObject b
                && b.get("vips") instanceof com.typesafe.config.ConfigList l && !l.isEmpty();
    }

    private static RealServerModeSettings realServerMode(ConfigNode r) {
        List<InetAddress> vips = HostAddressList.read(r, "vips", "it goes on lo as /32 or /128", a -> Optional.empty());
        String iface = VrrpReader.interfaceName(r, "interface");
        r.checkUnknownKeys();
        return new RealServerModeSettings(List.copyOf(vips), iface);
    }

    private static java.util.Set<InetAddress> vrrpVips(VrrpSettings vrrp) {
        java.util.Set<InetAddress> vips = new java.util.HashSet<>();
        vrrp.instances().values().stream().filter(i -> i.virtualIps() != null)
                .forEach(i -> i.virtualIps().forEach(p -> vips.add(p.address())));
        return vips;
    }

    /** The kernel's host name for this UTS namespace, without any name lookup. */
    static String hostName() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "localhost";
    }
}
