package io.vipkeeper.appliance.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vipkeeper.appliance.api.StatusSnapshot;
import io.vipkeeper.appliance.api.StatusTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * {@code vipkeeper backend drain|disable|enable|weight|add|remove|list}: runtime backend control over
 * the running daemon's control socket, or its HTTP API with {@code --url} ({@link DaemonLink}), by POST
 * and GET {@code /backends/...}; no config file is read.
 * Runtime state belongs to the node it is given on, and every answer says so.
 */
@Command(name = "backend", description = "Drain, disable, enable, re-weight, add or remove a backend at runtime, on this"
        + " node only (over the daemon's control socket, or its HTTP API with --url; kept across restarts and reloads).",
        subcommands = {BackendCommand.Drain.class, BackendCommand.Disable.class, BackendCommand.Enable.class,
                BackendCommand.Weight.class, BackendAddRemove.Add.class, BackendAddRemove.Remove.class,
                BackendCommand.ListBackends.class})
public final class BackendCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "Missing a command: drain, disable, enable, weight, add, remove or list");
    }

    /** The daemon to talk to: by its run directory (its control socket is there), or by its API's URL. */
    static final class Target {
        @Mixin
        DaemonOptions daemon;

        @Option(names = "--url", paramLabel = "URL", description = "The daemon's HTTP API instead of the control socket,"
                + " e.g. https://lb1:9180 (writes need api.write = on there and --token-file).")
        String url;

        @Option(names = "--token-file", paramLabel = "FILE", description = "With --url: the bearer token to send, from a"
                + " file of \"name token\" lines as api.token-file has them.")
        Path tokenFile;

        @Option(names = "--token-name", paramLabel = "NAME", description = "With --token-file: which of its tokens"
                + " (needed when it holds more than one).")
        String tokenName;

        @Option(names = "--cacert", paramLabel = "FILE", description = "With an https --url: trust the PEM certificates"
                + " in FILE (a self-signed one) instead of the system's authorities.")
        Path caCert;

        DaemonLink.Options options() {
            return new DaemonLink.Options(daemon.files().socket(), url, tokenFile, tokenName, caCert);
        }
    }

    /** What every order shares: the daemon, the virtual server and the backend. */
    static class Order implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(index = "0", paramLabel = "VS", description = "The virtual server's name in the config.")
        String virtualServer;

        @Parameters(index = "1", paramLabel = "RS", description = "The backend as ADDR[:PORT] (IPv6 as [ADDR]:PORT),"
                + " as status shows it.")
        String backend;

        @Spec
        CommandSpec spec;

        /** The action's path after VS/RS: the command's name ("drain"), or more ("weight/3"). */
        String action() {
            return spec.name();
        }

        @Override
        public Integer call() {
            String path = "/backends/" + segment(virtualServer) + "/" + segment(backend) + "/" + action();
            return exchange(spec, target, true, path, this::print);
        }

        /** Prints the daemon's answer {@code a}. */
        void print(PrintWriter out, JsonNode a) {
            String weight = a.path("admin").asText().equals("enabled")
                    ? "weight " + a.path("weight").asInt() + " (" + a.path("weightOrigin").asText() + ")"
                    : "weight 0 while " + a.path("admin").asText() + (a.path("weightOrigin").asText().equals("runtime")
                            ? "" : " (config weight " + a.path("configWeight").asInt() + ")");
            String before = a.path("before").asText();
            String now = a.path("admin").asText();
            String state = !a.path("changed").asBoolean() ? "already " + now : before.equals(now) ? now : before + " -> " + now;
            out.println(a.path("virtualServer").asText() + " " + a.path("backend").asText() + ": " + state + ", " + weight);
            out.println("node " + a.path("node").asText() + " only: " + a.path("note").asText());
        }
    }

    /** {@code vipkeeper backend drain VS RS}. */
    @Command(name = "drain", description = "Weight 0 until enabled: no new connections, established ones finish.")
    static final class Drain extends Order {
    }

    /** {@code vipkeeper backend disable VS RS}. */
    @Command(name = "disable", description = "Out of the table now, as a failed health check would take it.")
    static final class Disable extends Order {
    }

    /** {@code vipkeeper backend enable VS RS}. */
    @Command(name = "enable", description = "Back to the config: enabled at the config weight (drops a runtime weight).")
    static final class Enable extends Order {
    }

    /** {@code vipkeeper backend weight VS RS N}. */
    @Command(name = "weight", description = "A runtime weight N (0..65535) in place of the config's, until enabled.")
    static final class Weight extends Order {
        @Parameters(index = "2", paramLabel = "N", description = "The weight, 0..65535.")
        String weight;

        @Override
        String action() {
            // Checked by the daemon, which counts a refusal; sent as typed.
            return "weight/" + segment(weight);
        }
    }

    /** {@code vipkeeper backend list [VS]}. */
    @Command(name = "list", description = "Every (or one) virtual server's backends: health, admin state, weight and"
            + " its origin (config or runtime), the kernel's weight.")
    static final class ListBackends implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(index = "0", arity = "0..1", paramLabel = "VS", description = "Only this virtual server.")
        String virtualServer;

        @Option(names = "--json", description = "The API's JSON document as is.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String path = "/backends" + (virtualServer == null ? "" : "/" + segment(virtualServer));
            return exchange(spec, target, false, path, (out, doc) -> {
                if (json) {
                    out.println(doc.toPrettyString());
                    return;
                }
                List<StatusSnapshot.VirtualServerStatus> servers = new ArrayList<>();
                for (JsonNode vs : doc.path("virtualServers")) {
                    try {
                        servers.add(JSON.treeToValue(vs, StatusSnapshot.VirtualServerStatus.class));
                    } catch (IOException e) {
                        throw new IllegalStateException("not a virtual server: " + e.getMessage(), e);
                    }
                }
                out.print(servers.isEmpty() ? "no virtual servers\n" : StatusTable.backends(servers));
                out.println("node " + doc.path("node").asText() + ": " + doc.path("note").asText());
            });
        }
    }

    /** How an answer is shown. */
    interface Printer {
        void print(PrintWriter out, JsonNode answer);
    }

    /** One request to the daemon; prints its answer, or its error on stderr with a non-zero exit. */
    /**
     * How long an order may take: it returns once the kernel holds it, behind a reconcile run that
     * may be under way (in the IPVS VM under load a drain took over the 5 s a read may take).
     */
    static final java.time.Duration ORDER_TIMEOUT = java.time.Duration.ofSeconds(30);

    static int exchange(CommandSpec spec, Target target, boolean post, String path, Printer printer) {
        return exchange(spec, target, post, path, post ? ORDER_TIMEOUT : StatusCommand.TIMEOUT, printer);
    }

    /** The same, waiting at most {@code timeout} for the answer (a VRRP handover takes seconds). */
    static int exchange(CommandSpec spec, Target target, boolean post, String path, java.time.Duration timeout,
            Printer printer) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.qualifiedName();
        DaemonLink link;
        try {
            link = DaemonLink.of(target.options());
        } catch (DaemonLink.Problem e) {
            return fail(err, name, e.getMessage());
        }
        String socket = link.where();
        LocalHttp.Response r;
        try {
            r = post ? link.post(path, timeout) : link.get(path, timeout);
        } catch (IOException e) {
            return fail(err, name, "cannot reach the daemon at " + socket + ": " + e.getMessage() + " (is vipkeeper running?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(err, name, "interrupted");
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(r.body());
        } catch (IOException e) {
            return fail(err, name, socket + " answered " + r.status() + ": " + r.body().strip());
        }
        if (r.status() != 200) {
            return fail(err, name, doc.path("error").asText(r.body().strip()));
        }
        try {
            printer.print(out, doc);
        } catch (IllegalStateException e) {
            return fail(err, name, socket + " answered with " + e.getMessage());
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** A path segment, percent-encoded (an IPv6 backend's brackets and colons, a name's spaces). */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static int fail(PrintWriter err, String name, String message) {
        err.println(name + ": " + message);
        err.flush();
        return ExitCodes.FAILED;
    }
}
