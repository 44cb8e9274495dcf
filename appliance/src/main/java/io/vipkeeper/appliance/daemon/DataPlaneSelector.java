package io.vipkeeper.appliance.daemon;

import io.vipkeeper.appliance.config.DataPlaneChoice;
import io.vipkeeper.appliance.config.DataPlaneResolver;
import io.vipkeeper.appliance.dataplane.Capabilities;
import io.vipkeeper.appliance.dataplane.DataPlane;
import io.vipkeeper.appliance.dataplane.EngineChoice;
import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.nftables.NftablesDataPlane;
import java.util.function.Supplier;

/**
 * Resolves {@code vipkeeper.data-plane} to an engine: {@code ipvs} and {@code nftables} as named,
 * {@code auto} to IPVS when the kernel has it or {@code modprobe ip_vs} loads it, else to nftables
 * when libnftables can be loaded. The probe runs once (a reload does not probe again); once the
 * daemon {@linkplain #fix fixes} the engine it runs, a config that resolves to another one is
 * refused at its {@code data-plane} line, since the tables cannot move between engines in a reload.
 * Not thread-safe: config loads are serial.
 */
public final class DataPlaneSelector implements DataPlaneResolver {
    /**
     * An engine with what opens it.
     *
     * @param choice the config's choice and why it came to this engine
     * @param caps what it can do
     * @param opener opens it (on the reconcile thread)
     */
    record Engine(EngineChoice choice, Capabilities caps, Supplier<? extends DataPlane> opener) {
        String name() {
            return choice.engine();
        }
    }

    private final Supplier<IpvsKernel> ipvs;
    private final Supplier<? extends DataPlane> nftables;
    /** Loads the IPVS module; returns what happened, for the reason. */
    private final Supplier<String> loadIpvs;
    /** The probe only asks modprobe whether it could load IPVS ({@code check}). */
    private final boolean dryRun;
    private Engine auto;
    private Engine running;

    DataPlaneSelector(Supplier<IpvsKernel> ipvs, Supplier<? extends DataPlane> nftables, Supplier<String> loadIpvs) {
        this(ipvs, nftables, loadIpvs, false);
    }

    private DataPlaneSelector(Supplier<IpvsKernel> ipvs, Supplier<? extends DataPlane> nftables,
            Supplier<String> loadIpvs, boolean dryRun) {
        this.ipvs = ipvs;
        this.nftables = nftables;
        this.loadIpvs = loadIpvs;
        this.dryRun = dryRun;
    }

    /** The selector of a real daemon: the kernel's IPVS, libnftables, modprobe. */
    static DataPlaneSelector forKernel(Supplier<IpvsKernel> ipvs) {
        return new DataPlaneSelector(ipvs, NftablesDataPlane::new, Modprobe::ipvs);
    }

    /**
     * The selector of {@code check}: probes as the daemon would but loads no module ({@code modprobe
     * -n}: IPVS counts as there when the module could be loaded); {@code forced}, when given, is
     * checked against whatever the file says.
     */
    public static DataPlaneResolver forCheck(java.util.Optional<DataPlaneChoice> forced) {
        DataPlaneSelector s = new DataPlaneSelector(io.vipkeeper.appliance.ipvs.genl.IpvsClient::open,
                NftablesDataPlane::new, Modprobe::ipvsDryRun, true);
        return new DataPlaneResolver() {
            @Override
            public Capabilities capabilities(DataPlaneChoice choice) {
                return s.capabilities(forced.orElse(choice));
            }

            @Override
            public String describe(DataPlaneChoice choice) {
                Engine e = s.resolve(forced.orElse(choice));
                String why = forced.map(f -> "--data-plane " + f.configName()).orElse(e.choice().reason());
                return e.name() + " (" + why + ")" + (forced.orElse(choice) == DataPlaneChoice.AUTO ? ""
                        : s.unavailable(e).map(u -> "; but not on this host: " + u).orElse(""));
            }
        };
    }

    @Override
    public Capabilities capabilities(DataPlaneChoice choice) {
        Engine e = resolve(choice);
        if (running != null && !running.name().equals(e.name())) {
            throw new IllegalArgumentException("this daemon runs the " + running.name() + " data plane; moving to "
                    + e.name() + " takes a restart");
        }
        return e.caps();
    }

    /** The engine {@code choice} comes to (auto probes the kernel the first time). */
    Engine resolve(DataPlaneChoice choice) {
        return switch (choice) {
            case IPVS -> ipvsEngine("ipvs", "data-plane = ipvs");
            case NFTABLES -> nftablesEngine("nftables", "data-plane = nftables");
            case AUTO -> {
                if (auto == null) {
                    auto = probe();
                }
                yield auto;
            }
        };
    }

    /** Why a named engine cannot run on this host, as far as a check can tell without loading a module. */
    private java.util.Optional<String> unavailable(Engine e) {
        String missing = opens(e.opener());
        if (missing == null || (e.name().equals("ipvs") && loadIpvs.get().equals("ok"))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(missing + " (the daemon would retry every reconcile-interval)");
    }

    /** From now on a config must resolve to {@code engine}. */
    void fix(Engine engine) {
        running = engine;
    }

    private Engine probe() {
        // Since Linux 5.16 ip_vs declares its generic netlink family as a module alias, so this
        // first lookup loads the module by itself (no CAP_SYS_MODULE needed, which the unit lacks);
        // modprobe is for older kernels.
        String missing = opens(ipvs);
        if (missing == null) {
            return ipvsEngine("auto", "the kernel has IPVS");
        }
        String loaded = loadIpvs.get();
        if (dryRun && loaded.equals("ok")) {
            return ipvsEngine("auto", "modprobe can load ip_vs");
        }
        if (!dryRun && opens(ipvs) == null) {
            return ipvsEngine("auto", "modprobe ip_vs loaded IPVS");
        }
        String noIpvs = "the kernel has no IPVS (" + missing + "; modprobe ip_vs: " + loaded + ")";
        String noNft = opens(nftables);
        if (noNft == null) {
            return nftablesEngine("auto", noIpvs);
        }
        // Neither: IPVS, which says so and retries every reconcile interval, as before auto existed.
        return ipvsEngine("auto", noIpvs + " and nftables cannot be used (" + noNft + ")");
    }

    /** Null when {@code opener} opens (the engine is closed again at once), else why not. */
    private static String opens(Supplier<? extends DataPlane> opener) {
        try {
            opener.get().close();
            return null;
        } catch (RuntimeException | LinkageError e) {
            return String.valueOf(e.getMessage());
        }
    }

    private Engine ipvsEngine(String choice, String reason) {
        return new Engine(new EngineChoice(choice, "ipvs", reason), IpvsKernel.CAPABILITIES, ipvs);
    }

    private Engine nftablesEngine(String choice, String reason) {
        return new Engine(new EngineChoice(choice, "nftables", reason), NftablesDataPlane.CAPABILITIES, nftables);
    }
}
