package io.migrationgate.operator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migrationgate.api.v1alpha1.ResultStatus;

/**
 * Turns what the runner left in its termination message into {@code status.result}. The runner
 * writes a compact JSON report there; anything else (a crash, FallbackToLogsOnError's log tail)
 * still gives the exit code and the last line, so a request never ends without an explanation.
 */
public final class RunResults {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final int MAX_MESSAGE = 1024;

  private RunResults() {}

  public static ResultStatus from(JobObservation observation) {
    String text = observation.terminationMessage();
    ResultStatus result = parse(text);
    if (result == null) {
      result = new ResultStatus();
      result.message = text == null || text.isBlank()
          ? observation.message() + " (the runner left no report)"
          : "the runner left no report; its last output: " + lastLine(text);
    }
    if (result.exitCode == null) {
      result.exitCode = observation.exitCode();
    }
    return result;
  }

  private static ResultStatus parse(String text) {
    if (text == null || !text.trim().startsWith("{")) {
      return null;
    }
    try {
      return JSON.readValue(text.trim(), ResultStatus.class);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    return last.length() <= MAX_MESSAGE ? last : last.substring(0, MAX_MESSAGE) + "...";
  }
}
