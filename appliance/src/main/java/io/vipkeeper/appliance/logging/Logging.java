package io.vipkeeper.appliance.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.vipkeeper.appliance.config.LogLevel;
import org.slf4j.LoggerFactory;

/** Sets up logging to stderr, one event per line, at the level from the config or the command line. */
public final class Logging {
    private Logging() {
    }

    /**
     * (Re)configures the root logger.
     *
     * @param configured the level the config file asks for
     * @param verbosity how many {@code -v} were given: 1 raises the level to debug, 2 to trace
     */
    public static void configure(LogLevel configured, int verbosity) {
        Level level = Level.toLevel(configured.name());
        if (verbosity >= 2) {
            level = Level.TRACE;
        } else if (verbosity == 1 && level.isGreaterOrEqual(Level.DEBUG)) {
            level = Level.DEBUG;
        }
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        boolean journald = System.getenv("JOURNAL_STREAM") != null;
        LineLayout layout = new LineLayout(journald, !level.isGreaterOrEqual(Level.INFO));
        layout.setContext(ctx);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(ctx);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(ctx);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(level);
        // Netty is chatty at debug about its own internals; our debug is about the network.
        ctx.getLogger("io.netty").setLevel(level.isGreaterOrEqual(Level.INFO) ? level : Level.INFO);
    }
}
