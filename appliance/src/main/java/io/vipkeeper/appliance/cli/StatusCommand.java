package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.api.StatusJson;
import io.vipkeeper.appliance.api.StatusTable;
import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.appliance.config.ConfigLoader;
import io.vipkeeper.appliance.config.ConfigProblem;
import io.vipkeeper.appliance.config.InvalidConfigException;
import io.vipkeeper.appliance.config.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vipkeeper status}: the running daemon's state, read from its status API: over the control
 * socket in the run directory when it is there (no config read, so it works while the file is
 * broken or missing), else over HTTP at {@code --url} or the config's {@code api.listen}.
 */
@Command(name = "status", description = "Show the running daemon's VRRP instances and virtual servers (from its API).")
public final class StatusCommand implements Callable<Integer> {
    /** How long to wait for the daemon. */
    static final Duration TIMEOUT = QuickStatus.TIMEOUT;

    @Mixin
    ConfigFileOption options;

    @Option(names = "--json", description = "The API's JSON document as is.")
    boolean json;

    @Option(names = "--url", paramLabel = "URL",
            description = "The API's base URL, e.g. http://127.0.0.1:9180 (default: the control socket in the run directory"
                    + " when it is there or --run-dir is given, else api.listen of the config file).")
    URI url;

    @Mixin
    DaemonOptions daemon;

    @Spec
    CommandSpec spec;

    /** One way to the status document: the control socket or HTTP. */
    private interface Fetch {
        /** The body of a 200 answer. */
        String body() throws IOException, InterruptedException;
    }

    /** The daemon answered, but not with 200. */
    private static final class NotOk extends IOException {
        NotOk(int status, String body) {
            super("answered " + status + ": " + body.strip());
        }
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Path socket = daemon.files().socket();
        String from;
        Fetch fetch;
        // An explicit --url or -f says which daemon; else the control socket, named or found.
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        boolean fileGiven = given != null && given.hasMatchedOption("--file");
        if (url == null && (daemon.given() || !fileGiven && Files.exists(socket))) {
            from = socket.toString();
            fetch = () -> {
                LocalHttp.Response r = LocalHttp.get(socket, "/status", TIMEOUT);
                if (r.status() != 200) {
                    throw new NotOk(r.status(), r.body());
                }
                return r.body();
            };
        } else {
            URI base;
            if (url != null) {
                base = url;
            } else {
                Optional<InetSocketAddress> listen;
                try {
                    Settings settings = ConfigLoader.load(options.file(), options.node());
                    listen = settings.apiListen();
                } catch (InvalidConfigException e) {
                    // The file was only a way to find the daemon: say that, not "nothing was changed".
                    for (ConfigProblem p : e.problems()) {
                        err.println(p.format());
                    }
                    fail(err, (fileGiven ? "" : "no control socket at " + socket + " (is vipkeeper running? --run-dir"
                            + " names another daemon's), and ") + options.file() + " cannot say where the status API listens");
                    return ExitCodes.INVALID_CONFIG;
                }
                if (listen.isEmpty()) {
                    return fail(err, "the status API is disabled in " + options.file()
                            + " (api.listen = \"\"); use --run-dir (the daemon's control socket) or --url");
                }
                base = baseUri(listen.get());
            }
            URI status;
            try {
                status = base.resolve("/status");
            } catch (IllegalArgumentException e) {
                return fail(err, "bad URL " + base + ": " + e.getMessage());
            }
            from = status.toString();
            fetch = () -> overHttp(status);
        }
        String body;
        try {
            body = fetch.body();
        } catch (NotOk e) {
            return fail(err, from + " " + e.getMessage());
        } catch (IOException e) {
            return fail(err, "cannot reach the daemon at " + from + ": " + describe(e) + " (is vipkeeper running?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(err, "interrupted");
        } catch (IllegalArgumentException e) {
            return fail(err, "bad URL " + from + ": " + e.getMessage());
        }
        return print(body, from);
    }

    private static String overHttp(URI status) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(status).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new NotOk(r.statusCode(), r.body());
        }
        return r.body();
    }

    private int print(String body, String from) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (json) {
            out.print(body);
        } else {
            try {
                out.print(StatusTable.format(StatusJson.read(body)));
            } catch (IOException e) {
                return fail(err, from + " did not answer with a status document: " + e.getMessage());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Where to connect for a listen address: the wildcard means this host's loopback. */
    static URI baseUri(InetSocketAddress listen) {
        InetAddress a = listen.getAddress();
        if (a.isAnyLocalAddress()) {
            a = InetAddress.getLoopbackAddress();
            if (listen.getAddress().getAddress().length == 16) {
                a = io.netty.util.NetUtil.LOCALHOST6;
            }
        }
        return URI.create("http://" + Addresses.format(new InetSocketAddress(a, listen.getPort())) + "/");
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.net.ConnectException && (m == null || m.isEmpty())) {
            return "connection refused";
        }
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    private static int fail(PrintWriter err, String message) {
        err.println("vipkeeper status: " + message);
        err.flush();
        return ExitCodes.FAILED;
    }
}
