package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.api.StatusJson;
import io.vipkeeper.appliance.api.StatusTable;
import io.vipkeeper.appliance.config.Addresses;
import io.vipkeeper.appliance.config.ConfigLoader;
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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vipkeeper status}: the running daemon's state, read from its status API. */
@Command(name = "status", description = "Show the running daemon's VRRP instances and virtual servers (from its API).")
public final class StatusCommand implements Callable<Integer> {
    /** How long to wait for the daemon. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Mixin
    ConfigFileOption options;

    @Option(names = "--json", description = "The API's JSON document as is.")
    boolean json;

    @Option(names = "--url", paramLabel = "URL",
            description = "The API's base URL, e.g. http://127.0.0.1:9180 (default: api.listen of the config file).")
    URI url;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        URI base;
        if (url != null) {
            base = url;
        } else {
            Optional<InetSocketAddress> listen;
            try {
                Settings settings = ConfigLoader.load(options.file());
                listen = settings.apiListen();
            } catch (InvalidConfigException e) {
                return ConfigErrors.report(err, options.file(), e);
            }
            if (listen.isEmpty()) {
                return fail(err, "the status API is disabled in " + options.file() + " (api.listen = \"\"); use --url");
            }
            base = baseUri(listen.get());
        }
        URI status = base.resolve("/status");
        String body;
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(status).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return fail(err, status + " answered " + r.statusCode() + ": " + r.body().strip());
            }
            body = r.body();
        } catch (IOException e) {
            return fail(err, "cannot reach the daemon at " + status + ": " + describe(e) + " (is vipkeeper running?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(err, "interrupted");
        } catch (IllegalArgumentException e) {
            return fail(err, "bad URL " + base + ": " + e.getMessage());
        }
        if (json) {
            out.print(body);
        } else {
            try {
                out.print(StatusTable.format(StatusJson.read(body)));
            } catch (IOException e) {
                return fail(err, status + " did not answer with a status document: " + e.getMessage());
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
