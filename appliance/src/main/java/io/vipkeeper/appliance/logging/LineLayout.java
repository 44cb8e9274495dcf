package io.vipkeeper.appliance.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One log event per line. Under journald (JOURNAL_STREAM set) each line starts with the syslog
 * priority ({@code <3>} for errors ... {@code <7>} for debug), which journald turns into the entry's
 * priority, and carries no timestamp of its own; on a terminal it starts with the local time and
 * its offset from UTC ({@code 2026-12-06 23:08:33.123+0000}), so lines from hosts in other zones
 * compare.
 * A throwable adds its summary to the line; the stack trace follows only at debug level.
 */
public final class LineLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSxx").withZone(ZoneId.systemDefault());

    private final boolean journald;
    private final boolean stackTraces;

    public LineLayout(boolean journald, boolean stackTraces) {
        this.journald = journald;
        this.stackTraces = stackTraces;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder b = new StringBuilder(128);
        if (journald) {
            b.append('<').append(syslogPriority(event.getLevel())).append('>');
        } else {
            b.append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ');
        }
        b.append(String.format("%-5s", event.getLevel())).append(' ');
        String logger = event.getLoggerName();
        b.append(logger.substring(logger.lastIndexOf('.') + 1)).append(": ");
        b.append(event.getFormattedMessage().replace('\n', ' '));
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            b.append(": ").append(t.getClassName());
            if (t.getMessage() != null) {
                b.append(": ").append(t.getMessage().replace('\n', ' '));
            }
        }
        b.append('\n');
        if (t != null && stackTraces) {
            b.append(ThrowableProxyUtil.asString(t)).append('\n');
        }
        return b.toString();
    }

    /** RFC 5424 severity: err 3, warning 4, info 6, debug 7. */
    static int syslogPriority(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return 3;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return 4;
        }
        return level.isGreaterOrEqual(Level.INFO) ? 6 : 7;
    }
}
