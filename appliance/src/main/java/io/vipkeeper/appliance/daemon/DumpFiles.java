package io.vipkeeper.appliance.daemon;

import io.vipkeeper.appliance.api.StatsText;
import io.vipkeeper.appliance.api.StatusAssembler;
import io.vipkeeper.appliance.api.StatusInputs;
import io.vipkeeper.appliance.api.StatusSnapshot;
import io.vipkeeper.appliance.api.StatusTable;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dumps SIGUSR1 and SIGUSR2 write, as keepalived writes /tmp/keepalived.data and
 * /tmp/keepalived.stats: the data dump (config summary, every VRRP instance with its state,
 * priority, master and virtual IPs, the virtual and real servers) and the stats dump (counters),
 * in the run directory ({@code vipkeeper.data}, {@code vipkeeper.stats}). Each is replaced
 * atomically and the log says where it went; a dump that fails is logged, never fatal.
 */
final class DumpFiles {
    private static final Logger log = LoggerFactory.getLogger(DumpFiles.class);

    private final StatusAssembler status;
    private final Dump data;
    private final Dump stats;

    DumpFiles(RunFiles files, StatusInputs inputs) {
        this.status = StatusAssembler.of(inputs);
        this.data = new Dump("data dump", files.dataDump(),
                s -> "running config: " + inputs.settings().counts() + "\n" + StatusTable.format(s));
        this.stats = new Dump("stats dump", files.statsDump(), StatsText::format);
    }

    /** Writes the data dump. */
    void writeData() {
        data.write();
    }

    /** Writes the stats dump. */
    void writeStats() {
        stats.write();
    }

    /** One dump file. */
    private final class Dump {
        private final String what;
        private final Path file;
        private final Function<StatusSnapshot, String> body;
        /** A burst of signals writes one dump at a time: the one being written is as current as the next. */
        private final AtomicBoolean writing = new AtomicBoolean();

        Dump(String what, Path file, Function<StatusSnapshot, String> body) {
            this.what = what;
            this.file = file;
            this.body = body;
        }

        void write() {
            if (!writing.compareAndSet(false, true)) {
                log.debug("{} already being written", what);
                return;
            }
            try {
                StatusSnapshot s = status.snapshot();
                RunFiles.replace(file, "vipkeeper " + what + " of " + s.node() + ", pid " + ProcessHandle.current().pid()
                        + ", at " + Instant.now() + "\n" + body.apply(s));
                log.info("wrote the {} to {}", what, file);
            } catch (Exception e) {
                log.error("cannot write the {} to {}: {}", what, file, e.toString());
            } finally {
                writing.set(false);
            }
        }
    }
}
