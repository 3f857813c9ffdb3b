package io.migrationgate.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The operator's own logging (not the tests' config): both formats carry the request a line
 * concerns, taken from the MDC keys JOSDK sets while it reconciles.
 */
class LogFormatTest {

  private final PrintStream stdout = System.out;

  @AfterEach
  void restore() throws Exception {
    System.setOut(stdout);
    MDC.clear();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogFormatTest.class.getResource("/logback-test.xml"));
  }

  /** What the operator's logging writes for one line about orders-1 in team-a. */
  private String logOneLine(Map<String, String> env) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    OperatorLogging.configure(context, env);
    MDC.put("resource.namespace", "team-a");
    MDC.put("resource.name", "orders-1");
    context.getLogger("io.migrationgate.operator.Example").info("AwaitingApproval -> Running: JobCreated");
    MDC.clear();
    context.getLogger("io.migrationgate.operator.Example").info("not about a request");
    context.stop();
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void textNamesTheRequestALineConcernsAndNothingOnOtherLines() throws Exception {
    String[] lines = logOneLine(Map.of()).split("\n");
    assertThat(lines[0]).contains("[team-a/orders-1] - AwaitingApproval -> Running: JobCreated");
    assertThat(lines[1]).contains("Example - not about a request").doesNotContain("[/]");
  }

  @Test
  void jsonIsOneObjectPerLineWithTheRequestInTheMdc() throws Exception {
    String[] lines = logOneLine(Map.of("MG_LOG_FORMAT", "json")).split("\n");
    JsonNode first = new ObjectMapper().readTree(lines[0]);
    assertThat(first.path("level").asText()).isEqualTo("INFO");
    assertThat(first.path("formattedMessage").asText()).isEqualTo("AwaitingApproval -> Running: JobCreated");
    assertThat(first.path("mdc").path("resource.namespace").asText()).isEqualTo("team-a");
    assertThat(first.path("mdc").path("resource.name").asText()).isEqualTo("orders-1");
    assertThat(new ObjectMapper().readTree(lines[1]).path("formattedMessage").asText()).isEqualTo("not about a request");
  }

  @Test
  void anUnknownFormatOrLevelStopsStartUpNamingTheVariable() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertThatThrownBy(() -> OperatorLogging.configure(context, Map.of("MG_LOG_FORMAT", "yaml")))
        .hasMessage("MG_LOG_FORMAT=yaml is not valid: expected text or json");
    assertThatThrownBy(() -> OperatorLogging.configure(context, Map.of("MG_LOG_LEVEL", "LOUD")))
        .hasMessageContaining("MG_LOG_LEVEL=LOUD is not valid");
  }

  @Test
  void theLevelOfMigrationGateLinesIsSettable() throws Exception {
    assertThat(logOneLine(Map.of("MG_LOG_LEVEL", "WARN"))).isEmpty();
  }
}
