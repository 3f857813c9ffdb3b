package io.migrationgate.operator;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The operator's own logback.xml (not the tests' config): both formats carry the request a line
 * concerns, taken from the MDC keys JOSDK sets while it reconciles.
 */
class LogFormatTest {

  private final PrintStream stdout = System.out;

  @AfterEach
  void restore() throws Exception {
    System.setOut(stdout);
    System.clearProperty("MG_LOG_FORMAT");
    MDC.clear();
    reconfigure("/logback-test.xml");
  }

  private static LoggerContext reconfigure(String resource) throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogFormatTest.class.getResource(resource));
    return context;
  }

  /** What the operator's logback.xml writes for one line about orders-1 in team-a. */
  private String logOneLine(String format) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    if (format != null) {
      System.setProperty("MG_LOG_FORMAT", format);
    }
    LoggerContext context = reconfigure("/logback.xml");
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
    String[] lines = logOneLine(null).split("\n");
    assertThat(lines[0]).contains("[team-a/orders-1] - AwaitingApproval -> Running: JobCreated");
    assertThat(lines[1]).contains("Example - not about a request").doesNotContain("[/]");
  }

  @Test
  void jsonIsOneObjectPerLineWithTheRequestInTheMdc() throws Exception {
    String[] lines = logOneLine("json").split("\n");
    JsonNode first = new ObjectMapper().readTree(lines[0]);
    assertThat(first.path("level").asText()).isEqualTo("INFO");
    assertThat(first.path("formattedMessage").asText()).isEqualTo("AwaitingApproval -> Running: JobCreated");
    assertThat(first.path("mdc").path("resource.namespace").asText()).isEqualTo("team-a");
    assertThat(first.path("mdc").path("resource.name").asText()).isEqualTo("orders-1");
    assertThat(new ObjectMapper().readTree(lines[1]).path("formattedMessage").asText()).isEqualTo("not about a request");
  }
}
