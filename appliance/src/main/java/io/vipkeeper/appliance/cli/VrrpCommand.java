package io.vipkeeper.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vipkeeper vrrp maintenance on|off INSTANCE} and {@code vipkeeper vrrp list}: the VRRP
 * instances of the running daemon over its control socket (POST and GET {@code /vrrp...}); no
 * config file is read. Maintenance belongs to the node it is given on, and every answer says so.
 */
@Command(name = "vrrp", description = "List the VRRP instances, or put one in maintenance on this node: it hands its"
        + " VIPs to the peer gracefully and stays BACKUP until off (over the daemon's control socket; kept across"
        + " restarts and reloads).",
        subcommands = {VrrpCommand.MaintenanceCommand.class, VrrpCommand.ListInstances.class})
public final class VrrpCommand implements Runnable {
    /** A resignation waits up to 4 Master_Down_Intervals at the longest advert interval (40.95 s). */
    private static final Duration ORDER_TIMEOUT = Duration.ofSeconds(200);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a command: maintenance or list");
    }

    /** {@code vipkeeper vrrp maintenance on|off INSTANCE}. */
    @Command(name = "maintenance", description = "Put an instance in maintenance (on) or take it out (off). An instance"
            + " in a sync group takes its whole group with it.",
            subcommands = {On.class, Off.class})
    static final class MaintenanceCommand implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a command: on or off");
        }
    }

    /** What on and off share: the daemon and the instance. */
    abstract static class Order implements Callable<Integer> {
        @Mixin
        BackendCommand.Target target;

        @Parameters(index = "0", paramLabel = "INSTANCE", description = "The VRRP instance's name in the config.")
        String instance;

        @Spec
        CommandSpec spec;

        abstract String query();

        @Override
        public Integer call() {
            String path = "/vrrp/" + BackendCommand.segment(instance) + "/maintenance/" + spec.name() + query();
            return BackendCommand.exchange(spec, target, true, path, ORDER_TIMEOUT, VrrpCommand::printChange);
        }
    }

    /** {@code vipkeeper vrrp maintenance on INSTANCE [--force]}. */
    @Command(name = "on", description = "A MASTER sends priority 0 and keeps answering for its VIPs until the peer"
            + " advertises, then stays BACKUP until off (no takeover, no preemption). Refused when nobody would hold"
            + " the VIPs (no peer took over, or a BACKUP knows of no master), unless --force.")
    static final class On extends Order {
        @Option(names = "--force", description = "Release the VIPs even when nobody would hold them.")
        boolean force;

        @Override
        String query() {
            return force ? "?force=true" : "";
        }
    }

    /** {@code vipkeeper vrrp maintenance off INSTANCE}. */
    @Command(name = "off", description = "Back to the election: it takes the VIPs back if its priority is higher and it"
            + " preempts, as configured. A no-op for an instance not in maintenance.")
    static final class Off extends Order {
        @Override
        String query() {
            return "";
        }
    }

    private static void printChange(PrintWriter out, JsonNode a) {
        JsonNode c = a.path("change");
        String instance = c.path("instance").asText();
        boolean on = c.path("maintenance").asBoolean();
        String group = c.path("syncGroup").isTextual() ? " (sync group " + c.path("syncGroup").asText()
                + ": the order applies to every member)" : "";
        if (!c.path("changed").asBoolean()) {
            out.println(instance + group + ": " + (on ? "already in maintenance" : "not in maintenance; nothing to do"));
        } else {
            out.println(instance + group + ": maintenance " + (on ? "on" : "off"));
        }
        for (JsonNode m : c.path("members")) {
            String outcome = m.path("outcome").asText().replace('_', ' ');
            String master = m.path("newMaster").isTextual() ? " to " + m.path("newMaster").asText() + " after "
                    + m.path("waitedMs").asLong() + " ms" : "";
            out.println("  " + m.path("name").asText() + ": " + outcome + master + ", now " + m.path("state").asText());
        }
        if (c.path("changed").asBoolean() && !on) {
            out.println("back in the election: it takes the VIPs back if it has the higher priority and preempts");
        }
        out.println("node " + a.path("node").asText() + " only: " + a.path("note").asText());
    }

    /** {@code vipkeeper vrrp list}. */
    @Command(name = "list", description = "Every instance: state, priority (configured and effective), VIPs,"
            + " maintenance, and when another router's advert was last seen.")
    static final class ListInstances implements Callable<Integer> {
        @Mixin
        BackendCommand.Target target;

        @Option(names = "--json", description = "The API's JSON document as is.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return BackendCommand.exchange(spec, target, false, "/vrrp", StatusCommand.TIMEOUT, (out, doc) -> {
                if (json) {
                    out.println(doc.toPrettyString());
                    return;
                }
                out.print(table(doc.path("instances")));
                out.println("node " + doc.path("node").asText() + ": " + doc.path("note").asText());
            });
        }
    }

    /** The instances as aligned columns. */
    static String table(JsonNode instances) {
        if (instances.isEmpty()) {
            return "no VRRP instances\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"INSTANCE", "STATE", "PRIORITY", "MAINTENANCE", "MASTER", "MASTER SEEN", "VIPS"});
        for (JsonNode i : instances) {
            int configured = i.path("configuredPriority").asInt();
            int effective = i.path("effectivePriority").asInt();
            List<String> vips = new ArrayList<>();
            i.path("virtualIps").forEach(v -> vips.add(v.asText()));
            rows.add(new String[] {i.path("name").asText(), i.path("state").asText(),
                configured == effective ? Integer.toString(effective) : effective + " (of " + configured + ")",
                i.path("maintenance").asBoolean() ? "on" : "off", text(i.path("masterAddress")),
                text(i.path("masterSeen")), vips.isEmpty() ? "-" : String.join(" ", vips)});
        }
        return io.vipkeeper.appliance.api.StatusTable.columns(rows);
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : "-";
    }
}
