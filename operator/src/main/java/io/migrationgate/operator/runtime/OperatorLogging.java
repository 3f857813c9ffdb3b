package io.migrationgate.operator.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Map;
import java.util.Set;

/**
 * The operator's logging: one line per event on stdout, INFO for Migration Gate, warnings only from
 * the libraries (JOSDK and fabric8 are chatty at INFO and DEBUG). {@code MG_LOG_FORMAT=json} writes
 * one JSON object per line for log pipelines, MDC included; the default text format shows the
 * request a line concerns as namespace/name, from the MDC JOSDK fills while it reconciles.
 *
 * <p>Set in code rather than in a logback.xml: reading the XML cost every start 0.35 s and about
 * 600 classes (logback's configuration model and the JDK's XML parser), and logback printed its own
 * status on stdout whenever the file left an appender unused.
 */
public final class OperatorLogging {

  private static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{24}"
      + "%replace( [%X{resource.namespace}/%X{resource.name}]){' \\[/\\]', ''} - %msg%n";
  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  private OperatorLogging() {}

  /** Replaces whatever {@code context} was configured with; a bad variable stops start-up, naming it. */
  public static void configure(LoggerContext context, Map<String, String> env) {
    String format = env.getOrDefault("MG_LOG_FORMAT", "text");
    String level = env.getOrDefault("MG_LOG_LEVEL", "INFO");
    if (!format.equals("text") && !format.equals("json")) {
      throw new IllegalArgumentException("MG_LOG_FORMAT=" + format + " is not valid: expected text or json");
    }
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException("MG_LOG_LEVEL=" + level + " is not valid: expected one of " + LEVELS);
    }
    context.reset();
    Encoder<ILoggingEvent> encoder = format.equals("json") ? json() : text();
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(format);
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(console);
    context.getLogger("io.migrationgate").setLevel(Level.toLevel(level));
    context.getLogger("io.javaoperatorsdk.operator.Operator").setLevel(Level.INFO);
  }

  private static Encoder<ILoggingEvent> text() {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setPattern(TEXT_PATTERN);
    return encoder;
  }

  private static Encoder<ILoggingEvent> json() {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.setWithMessage(false);
    return encoder;
  }
}
