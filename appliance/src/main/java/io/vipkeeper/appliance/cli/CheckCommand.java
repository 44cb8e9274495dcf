package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.config.ConfigCache;
import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.DataPlaneChoice;
import io.vipkeeper.appliance.config.DataPlaneResolver;
import io.vipkeeper.appliance.config.EffectiveConfig;
import io.vipkeeper.appliance.config.EveryNode;
import io.vipkeeper.appliance.daemon.DataPlaneSelector;
import io.vipkeeper.appliance.config.InvalidConfigException;
import io.vipkeeper.appliance.config.Settings;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vipkeeper check}: validates the config without touching the network. */
@Command(name = "check", description = "Check the config file and report every problem with file:line.")
public final class CheckCommand implements Callable<Integer> {
    @Mixin
    ConfigFileOption options;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-plane", paramLabel = "ENGINE", description = "Check the virtual servers against this "
            + "engine (ipvs or nftables) instead of the one the file's data-plane comes to on this host.")
    String dataPlane;

    @Option(names = "--print", description = "Print the config as the node (--node) reads it, as HOCON: the keys"
            + " the file sets, with the node's values, substitutions resolved and secrets masked.")
    boolean print;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<DataPlaneChoice> forced = Optional.empty();
        if (dataPlane != null) {
            forced = Arrays.stream(DataPlaneChoice.values()).filter(c -> c != DataPlaneChoice.AUTO
                    && c.configName().equals(dataPlane)).findFirst();
            if (forced.isEmpty()) {
                err.println("--data-plane: \"" + dataPlane + "\" is not ipvs or nftables");
                err.flush();
                return ExitCodes.USAGE;
            }
        }
        DataPlaneResolver engines = DataPlaneSelector.forCheck(forced);
        try {
            List<String> nodes = ConfigLoader.nodeNames(options.file());
            if (print && !nodes.isEmpty() && !options.nodeGiven()) {
                err.println("--print shows one node's view: add --node NAME (the nodes are " + String.join(", ", nodes) + ")");
                err.flush();
                return ExitCodes.USAGE;
            }
            // Without --node every node's view is checked: the file is the same on each of them.
            Map<String, Settings> views = options.nodeGiven() || nodes.isEmpty()
                    ? Map.of(options.node().given().orElse(""), ConfigLoader.load(options.file(), ConfigCache.NONE, engines, options.node()))
                    : EveryNode.load(options.file(), engines, nodes);
            Map<String, List<String>> warnings = new LinkedHashMap<>();
            views.forEach((node, s) -> warnings.put(node, s.warnings()));
            EveryNode.namedWarnings(warnings).forEach(err::println);
            err.flush();
            if (print) {
                out.print(EffectiveConfig.render(options.file(), options.node()));
            } else {
                summarize(out, engines, views, !nodes.isEmpty());
            }
            out.flush();
            return ExitCodes.OK;
        } catch (InvalidConfigException e) {
            return ConfigErrors.report(err, options.file(), e);
        }
    }

    /** One OK line per view (naming the node where the file has nodes), and the engine checked for. */
    private void summarize(PrintWriter out, DataPlaneResolver engines, Map<String, Settings> views, boolean nodes) {
        views.forEach((node, s) -> out.println(nodes ? options.file() + ": OK: node " + node + ": " + s.counts()
                : s.summary()));
        views.values().stream().filter(s -> !s.ipvs().virtualServers().isEmpty()).findFirst().ifPresent(s ->
                out.println("checked for data plane " + engines.describe(s.dataPlane().choice())));
    }
}
