package io.migrationgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunnerLoggingTest {

  final LoggerContext context = new LoggerContext();

  @Test
  void flywayAtInfoAndEveryOtherLibraryAtWarnGoToStderr() {
    RunnerLogging.configure(context);

    Logger flyway = context.getLogger("org.flywaydb.core.internal.command.DbMigrate");
    Logger driver = context.getLogger("org.postgresql.core.v3.QueryExecutorImpl");
    assertThat(flyway.isInfoEnabled()).isTrue();
    assertThat(flyway.isDebugEnabled()).isFalse();
    assertThat(driver.isInfoEnabled()).isFalse();
    assertThat(driver.isWarnEnabled()).isTrue();
    assertThat(context.getLogger("org.flywaydb").isAdditive()).as("a Flyway line is written once").isFalse();
    List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
    context.getLogger("org.flywaydb").iteratorForAppenders().forEachRemaining(appenders::add);
    context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(appenders::add);
    assertThat(appenders).hasSize(2).allSatisfy(appender ->
        assertThat(((ConsoleAppender<ILoggingEvent>) appender).getTarget()).isEqualTo("System.err"));
  }

  @Test
  void flywaysLinesReadAsTheRunnersProgress() {
    String line = new RunnerLogging.Line(true).doLayout(event("org.flywaydb.core.internal.command.DbMigrate",
        Level.INFO, "Migrating schema \"public\" to version \"3 - add status\"", null));

    assertThat(line).isEqualTo("migration-gate: flyway: Migrating schema \"public\" to version \"3 - add status\"\n");
  }

  @Test
  void anotherLibrarysLineNamesItsLevelAndLoggerAndCarriesTheStackTrace() {
    String line = new RunnerLogging.Line(false).doLayout(event("org.postgresql.core.v3.QueryExecutorImpl",
        Level.WARN, "connection reset", new SQLException("socket closed")));

    assertThat(line).startsWith("migration-gate: WARN o.p.c.v.QueryExecutorImpl: connection reset\n")
        .contains("java.sql.SQLException: socket closed", "at io.migrationgate.runner.RunnerLoggingTest");
  }

  private LoggingEvent event(String logger, Level level, String message, Throwable thrown) {
    return new LoggingEvent(Logger.class.getName(), context.getLogger(logger), level, message, thrown, null);
  }
}
