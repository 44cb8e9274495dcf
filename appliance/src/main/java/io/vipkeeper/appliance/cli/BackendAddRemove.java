package io.vipkeeper.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vipkeeper backend add|remove}: runtime backends, not in the file, over the control socket
 * ({@code POST /backends/VS/RS/add[/N]} and {@code .../remove}); kept in this node's runtime state.
 */
final class BackendAddRemove {
    private BackendAddRemove() {
    }

    /** {@code vipkeeper backend add VS RS [--weight N]}. */
    @Command(name = "add", description = "A runtime backend that is not in the file, health-checked with the service's"
            + " check; RS without a port takes the service's. Refused when the service has it already.")
    static final class Add extends BackendCommand.Order {
        @Option(names = "--weight", paramLabel = "N", description = "Its weight, 0..65535 (default: real-server-defaults"
                + ".weight of reference.conf).")
        String weight;

        @Override
        String action() {
            // Checked by the daemon, which counts a refusal; sent as typed.
            return "add" + (weight == null ? "" : "/" + BackendCommand.segment(weight));
        }

        @Override
        void print(PrintWriter out, JsonNode a) {
            out.println(a.path("virtualServer").asText() + " " + a.path("backend").asText() + ": added, a runtime backend"
                    + " at weight " + a.path("configWeight").asInt() + ", in the table once its health check says up");
            out.println("node " + a.path("node").asText() + " only: " + a.path("note").asText());
        }
    }

    /** {@code vipkeeper backend remove VS RS}. */
    @Command(name = "remove", description = "A runtime backend drained (weight 0 until its connections end, at most"
            + " drain-timeout), then deleted. A backend of the file is refused: edit the file and reload.")
    static final class Remove extends BackendCommand.Order {
        @Override
        void print(PrintWriter out, JsonNode a) {
            out.println(a.path("virtualServer").asText() + " " + a.path("backend").asText() + ": removed; draining, deleted"
                    + " once its connections end (at most drain-timeout)");
            out.println("node " + a.path("node").asText() + " only: " + a.path("note").asText());
        }
    }
}
