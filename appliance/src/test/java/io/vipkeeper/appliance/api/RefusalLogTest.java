package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** At most one line per interval however many connections are refused, and none is lost. */
class RefusalLogTest {
    private final List<String> lines = new ArrayList<>();
    private final RefusalLog log = new RefusalLog(Duration.ofMinutes(1), "refused", lines::add);
    private final EmbeddedChannel loop = new EmbeddedChannel();

    {
        loop.freezeTime();
    }

    private void refuse(int n, String client) {
        for (int i = 0; i < n; i++) {
            log.refused(loop.eventLoop(), client, "32 open from that address (api.max-connections-per-client)");
        }
    }

    private void advance(int seconds) {
        loop.advanceTimeBy(seconds, TimeUnit.SECONDS);
        loop.runScheduledPendingTasks();
    }

    @Test
    void firstAtOnceThenOneSumPerInterval() {
        refuse(1000, "127.0.0.2");
        assertEquals(List.of("status API: refused a connection from 127.0.0.2: 32 open from that address "
                + "(api.max-connections-per-client); further ones are summed up every 1m"), lines);
        advance(59);
        assertEquals(1, lines.size(), "nothing more within the interval");
        refuse(5, "127.0.0.3");
        advance(1);
        assertEquals("status API: refused 1004 more connection(s) in the last 1m, the latest from 127.0.0.3: "
                + "32 open from that address (api.max-connections-per-client)", lines.get(1));
        advance(60);
        assertEquals(2, lines.size(), "a quiet interval logs nothing");
        refuse(1, "127.0.0.4");
        assertEquals(3, lines.size(), "after a quiet interval the next refusal is logged at once");
        assertEquals(true, lines.get(2).startsWith("status API: refused a connection from 127.0.0.4: "), lines.get(2));
    }
}
