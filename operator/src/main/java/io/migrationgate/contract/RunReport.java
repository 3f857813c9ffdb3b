package io.migrationgate.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;

/**
 * What one runner execution did, as the runner writes it and the operator reads it back.
 *
 * <p>The runner emits it twice: in full as one stdout line after {@link #STDOUT_MARKER} (kept by
 * the log tail, any size), and compacted by {@link ReportCompactor} to fit the 4 KiB Kubernetes
 * termination message. {@code appliedTotal} and {@code verificationTotal} always count the real
 * lists, so a reader never mistakes a shortened list for the whole story.
 *
 * <p>Unknown JSON properties are ignored when parsing so that an operator can read a report written
 * by a newer runner image. Absent values are left out of the JSON rather than written as null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "reportVersion", "outcome", "exitCode", "message", "scriptsDigest", "expectedDigest",
  "scriptCount", "target", "flywayVersion", "databaseProduct", "databaseVersion",
  "schemaVersionBefore", "schemaVersionAfter", "appliedTotal", "applied", "verificationTotal",
  "verification", "startedAt", "finishedAt", "truncated"
})
public record RunReport(
    int reportVersion,
    Outcome outcome,
    int exitCode,
    String message,
    String scriptsDigest,
    String expectedDigest,
    Integer scriptCount,
    String target,
    String flywayVersion,
    String databaseProduct,
    String databaseVersion,
    String schemaVersionBefore,
    String schemaVersionAfter,
    Integer appliedTotal,
    List<AppliedMigration> applied,
    Integer verificationTotal,
    List<VerificationResult> verification,
    String startedAt,
    String finishedAt,
    boolean truncated) {

  /** Prefix of the single stdout line carrying the full report; log scrapers search for it. */
  public static final String STDOUT_MARKER = "MIGRATION-GATE-REPORT ";

  /** Kubernetes keeps at most this many bytes of a container's termination message. */
  public static final int TERMINATION_MESSAGE_MAX_BYTES = 4096;

  public static final int CURRENT_REPORT_VERSION = 1;

  // A record's missing number or flag reaches Jackson as null, so nulls for primitives must read
  // as their default; parse() checks that the two that matter, outcome and exitCode, are present.
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"version", "description", "script", "executionTimeMs"})
  public record AppliedMigration(String version, String description, String script, long executionTimeMs) {}

  /** {@code actual} is absent when the query errored or returned no row, {@code error} when it ran. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"name", "passed", "actual", "expected", "error"})
  public record VerificationResult(String name, boolean passed, String actual, String expected, String error) {}

  /** Thrown by {@link #parse} for anything that is not a report this class could have written. */
  public static final class MalformedReportException extends IllegalArgumentException {
    public MalformedReportException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Lists are never null; a missing total counts its list; a missing version is the first one. */
  public RunReport {
    reportVersion = reportVersion == 0 ? CURRENT_REPORT_VERSION : reportVersion;
    applied = applied == null ? List.of() : List.copyOf(applied);
    verification = verification == null ? List.of() : List.copyOf(verification);
    appliedTotal = appliedTotal == null ? applied.size() : appliedTotal;
    verificationTotal = verificationTotal == null ? verification.size() : verificationTotal;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static RunReport parse(String json) {
    if (json == null || json.isBlank()) {
      throw new MalformedReportException("run report is empty", null);
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new MalformedReportException(
          "run report is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (!tree.isObject()) {
      throw new MalformedReportException(
          "run report must be a JSON object, got " + tree.getNodeType().name().toLowerCase(), null);
    }
    if (!tree.hasNonNull("outcome")) {
      throw new MalformedReportException("run report has no \"outcome\"", null);
    }
    if (!tree.hasNonNull("exitCode")) {
      throw new MalformedReportException("run report has no \"exitCode\"", null);
    }
    try {
      return JSON.treeToValue(tree, RunReport.class);
    } catch (JsonProcessingException e) {
      throw new MalformedReportException(
          "run report does not match the report schema: " + e.getOriginalMessage(), e);
    }
  }

  /** The report carried by a log line the runner printed, if this line is that line. */
  public static Optional<RunReport> fromStdoutLine(String line) {
    if (line == null || !line.startsWith(STDOUT_MARKER)) {
      return Optional.empty();
    }
    return Optional.of(parse(line.substring(STDOUT_MARKER.length())));
  }

  /**
   * The JSON of a log line that carries a readable report, exactly as printed; empty for any other
   * line, including a marked line whose JSON {@link #fromStdoutLine} would refuse.
   */
  public static Optional<String> printedJson(String line) {
    try {
      return fromStdoutLine(line).map(report -> line.substring(STDOUT_MARKER.length()));
    } catch (MalformedReportException e) {
      return Optional.empty();
    }
  }

  /** The full report on one line (Jackson escapes every newline inside strings). */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a run report always serializes", e);
    }
  }

  /** The report fitted into {@code maxBytes} of UTF-8 by {@link ReportCompactor}. */
  public String toCompactJson(int maxBytes) {
    return ReportCompactor.fit(this, maxBytes);
  }

  /** This report with other list entries and message, marked as a shortened copy. */
  RunReport truncatedTo(String message, List<AppliedMigration> applied, List<VerificationResult> verification) {
    return new RunReport(reportVersion, outcome, exitCode, message, scriptsDigest, expectedDigest, scriptCount,
        target, flywayVersion, databaseProduct, databaseVersion, schemaVersionBefore, schemaVersionAfter,
        appliedTotal, applied, verificationTotal, verification, startedAt, finishedAt, true);
  }

  /** Collects a report step by step, as the runner learns each part. */
  public static final class Builder {
    private Outcome outcome;
    private String message;
    private String scriptsDigest;
    private String expectedDigest;
    private Integer scriptCount;
    private String target;
    private String flywayVersion;
    private String databaseProduct;
    private String databaseVersion;
    private String schemaVersionBefore;
    private String schemaVersionAfter;
    private List<AppliedMigration> applied = List.of();
    private List<VerificationResult> verification = List.of();
    private String startedAt;
    private String finishedAt;

    private Builder() {}

    /** Also sets the exit code, which the outcome decides. */
    public Builder outcome(Outcome outcome) { this.outcome = outcome; return this; }
    public Builder message(String message) { this.message = message; return this; }
    public Builder scriptsDigest(String scriptsDigest) { this.scriptsDigest = scriptsDigest; return this; }
    public Builder expectedDigest(String expectedDigest) { this.expectedDigest = expectedDigest; return this; }
    public Builder scriptCount(Integer scriptCount) { this.scriptCount = scriptCount; return this; }
    public Builder target(String target) { this.target = target; return this; }
    public Builder flywayVersion(String flywayVersion) { this.flywayVersion = flywayVersion; return this; }
    public Builder databaseProduct(String databaseProduct) { this.databaseProduct = databaseProduct; return this; }
    public Builder databaseVersion(String databaseVersion) { this.databaseVersion = databaseVersion; return this; }
    public Builder schemaVersionBefore(String version) { this.schemaVersionBefore = version; return this; }
    public Builder schemaVersionAfter(String version) { this.schemaVersionAfter = version; return this; }
    public Builder applied(List<AppliedMigration> applied) { this.applied = applied; return this; }
    public Builder verification(List<VerificationResult> results) { this.verification = results; return this; }
    public Builder startedAt(String startedAt) { this.startedAt = startedAt; return this; }
    public Builder finishedAt(String finishedAt) { this.finishedAt = finishedAt; return this; }

    public RunReport build() {
      return new RunReport(CURRENT_REPORT_VERSION, outcome, outcome == null ? 0 : outcome.exitCode(), message,
          scriptsDigest, expectedDigest, scriptCount, target, flywayVersion, databaseProduct, databaseVersion,
          schemaVersionBefore, schemaVersionAfter, null, applied, null, verification, startedAt, finishedAt, false);
    }
  }
}
