package io.vipkeeper.appliance.cli;

import io.vipkeeper.appliance.events.EventJson;
import io.vipkeeper.appliance.events.EventWords;
import io.vipkeeper.appliance.events.ServerSentEvents;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code vipkeeper events}: follows the running daemon's {@code GET /events} over its control socket
 * and prints each event as it comes, in words or as the JSON lines. Runs until Ctrl-C or SIGTERM
 * (exit 0); the daemon going away ends it with 1, as a daemon that is not running does.
 */
@Command(name = "events", description = "Print the running daemon's events as they happen: VRRP transitions, health"
        + " changes, backend orders, reloads, data plane problems (over its control socket; no config is read).",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped by Ctrl-C or SIGTERM", "1:the daemon is not running, or it ended the stream"})
public final class EventsCommand implements Callable<Integer> {
    @Mixin
    DaemonOptions daemon;

    @Option(names = "--json", description = "Print each event as its JSON, one per line.")
    boolean json;

    @Spec
    CommandSpec spec;

    private volatile boolean stopped;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path socket = daemon.files().socket();
        try (LocalHttp.Stream stream = LocalHttp.stream(socket, "/events")) {
            if (stream.status() != 200) {
                String line = stream.readLine();
                return fail(err, socket + " answered " + stream.status() + (line == null ? "" : ": " + line.strip()));
            }
            Runnable stop = () -> {
                stopped = true;
                try {
                    stream.close(); // ends the read that waits
                } catch (IOException e) {
                    // closing: nothing more to do
                }
            };
            Signal.handle(new Signal("INT"), s -> stop.run());
            Signal.handle(new Signal("TERM"), s -> stop.run());
            err.println("vipkeeper events: following " + socket + " (Ctrl-C to stop)");
            err.flush();
            follow(stream, out);
            return stopped ? ExitCodes.OK : fail(err, "the daemon ended the stream (it stopped, or this reader fell behind)");
        } catch (IOException e) {
            if (stopped) {
                return ExitCodes.OK;
            }
            return fail(err, "cannot read events from " + socket + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()) + " (is vipkeeper running?)");
        }
    }

    private void follow(LocalHttp.Stream stream, PrintWriter out) throws IOException {
        ServerSentEvents.Reader reader = new ServerSentEvents.Reader();
        EventWords words = new EventWords(ZoneId.systemDefault());
        for (String line = stream.readLine(); line != null; line = stream.readLine()) {
            Optional<ServerSentEvents.Message> m = reader.line(line);
            if (m.isEmpty()) {
                continue;
            }
            out.println(json ? m.get().data() : inWords(m.get(), words));
            out.flush();
        }
    }

    /** The event in words; one this version cannot read (a newer daemon's) as its name and data. */
    private static String inWords(ServerSentEvents.Message m, EventWords words) {
        try {
            return EventJson.read(m.data()).map(words::line).orElse(m.event() + " " + m.data());
        } catch (IllegalArgumentException e) {
            return m.event() + " " + m.data();
        }
    }

    private static int fail(PrintWriter err, String message) {
        err.println("vipkeeper events: " + message);
        err.flush();
        return ExitCodes.FAILED;
    }
}
