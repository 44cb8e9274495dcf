package io.vipkeeper.appliance.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class LineLayoutTest {
    private final LoggerContext ctx = new LoggerContext();
    private final Logger logger = ctx.getLogger("io.vipkeeper.appliance.daemon.Daemon");

    private LoggingEvent event(Level level, String msg, Throwable t) {
        return new LoggingEvent(Logger.FQCN, logger, level, msg, t, null);
    }

    @Test
    void journaldLinesCarryTheSyslogPriorityAndNoTimestamp() {
        LineLayout l = new LineLayout(true, false);
        assertEquals("<3>ERROR Daemon: bad\n", l.doLayout(event(Level.ERROR, "bad", null)));
        assertEquals("<4>WARN  Daemon: careful\n", l.doLayout(event(Level.WARN, "careful", null)));
        assertEquals("<6>INFO  Daemon: hello\n", l.doLayout(event(Level.INFO, "hello", null)));
        assertEquals("<7>DEBUG Daemon: detail\n", l.doLayout(event(Level.DEBUG, "detail", null)));
    }

    @Test
    void oneEventIsOneLineEvenWithNewlinesAndAThrowable() {
        LineLayout l = new LineLayout(true, false);
        String line = l.doLayout(event(Level.ERROR, "two\nlines", new IllegalStateException("boom\nagain")));
        assertEquals("<3>ERROR Daemon: two lines: java.lang.IllegalStateException: boom again\n", line);
    }

    @Test
    void terminalLinesStartWithTheTimeAndDebugShowsStackTraces() {
        LineLayout l = new LineLayout(false, true);
        String text = l.doLayout(event(Level.ERROR, "failed", new IllegalStateException("boom")));
        assertTrue(text.matches("(?s)\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4} ERROR Daemon: failed: "
                + "java.lang.IllegalStateException: boom\n.*at io.vipkeeper.*"), text);
    }
}
