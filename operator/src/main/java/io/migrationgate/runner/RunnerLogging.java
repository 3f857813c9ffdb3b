package io.migrationgate.runner;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;

/**
 * The runner's and the plan's logging: everything on stderr, because stdout carries the report
 * line. Flyway's INFO lines ("migration-gate: flyway: Migrating schema ... to version 3") are the
 * progress a person watches in {@code kubectl logs}; drivers and other libraries speak up only for
 * warnings ("migration-gate: WARN o.p.core.v3.QueryExecutorImpl: ...").
 *
 * <p>Set in code, with a layout of its own, for the same reason as the operator's logging
 * (OperatorLogging): a logback XML file pulled logback's configuration model and the JDK's XML
 * parser into every Job, and a pattern layout its pattern compiler and some 70 converters; 636
 * classes of logback and XML in a plan became 81 (docs/benchmarks.md, "The plan program's cost").
 */
public final class RunnerLogging {

  private RunnerLogging() {}

  /** Replaces whatever {@code context} was configured with. */
  public static void configure(LoggerContext context) {
    context.reset();
    Logger flyway = context.getLogger("org.flywaydb");
    flyway.setLevel(Level.INFO);
    flyway.setAdditive(false);
    flyway.addAppender(stderr(context, "flyway", new Line(true)));
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr(context, "libraries", new Line(false)));
  }

  private static ConsoleAppender<ILoggingEvent> stderr(LoggerContext context, String name, Line layout) {
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(name);
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }

  /**
   * One event: the prefix, "flyway: " for Flyway's lines or the level and the shortened logger name
   * for any other library's, the message, and the stack trace of an exception logged with it.
   */
  static final class Line extends LayoutBase<ILoggingEvent> {

    private static final int LOGGER_NAME_LENGTH = 24;

    private final boolean flyway;
    private final TargetLengthBasedClassNameAbbreviator loggerName =
        new TargetLengthBasedClassNameAbbreviator(LOGGER_NAME_LENGTH);

    Line(boolean flyway) {
      this.flyway = flyway;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
      StringBuilder line = new StringBuilder(Progress.PREFIX);
      if (flyway) {
        line.append("flyway: ");
      } else {
        line.append(event.getLevel()).append(' ').append(loggerName.abbreviate(event.getLoggerName())).append(": ");
      }
      line.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
      }
      return line.toString();
    }
  }
}
