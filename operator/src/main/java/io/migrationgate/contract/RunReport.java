package io.migrationgate.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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
 * termination message. {@code appliedTotal}, {@code verificationTotal} and the other totals always
 * count the real lists, so a reader never mistakes a shortened list for the whole story.
 *
 * <p>The {@code plan} program (a read-only look at the database before approval) writes the same
 * report with {@code program} set to {@link #PLAN_PROGRAM} and the plan's parts: whether the
 * history table exists, the history, the pending scripts, what validation found and the {@link
 * PlannedState}; and the review of the pending scripts: the risk level, a digest of every
 * review finding and the findings themselves. A run report leaves these out.
 *
 * <p>Unknown JSON properties are ignored when parsing so that an operator can read a report written
 * by a newer runner image. Absent values are left out of the JSON rather than written as null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunReport(
    int reportVersion,
    String program,
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
    Boolean historyTableExists,
    String plannedState,
    String schemaVersionBefore,
    String schemaVersionAfter,
    Integer appliedTotal,
    List<AppliedMigration> applied,
    Integer verificationTotal,
    List<VerificationResult> verification,
    Integer historyTotal,
    List<HistoryEntry> history,
    Integer pendingTotal,
    List<PendingMigration> pending,
    Integer findingsTotal,
    List<Finding> findings,
    String riskLevel,
    String riskDigest,
    Integer riskFindingsTotal,
    List<RiskFinding> riskFindings,
    String startedAt,
    String finishedAt,
    boolean truncated) {

  /** Prefix of the single stdout line carrying the full report; log scrapers search for it. */
  public static final String STDOUT_MARKER = "MIGRATION-GATE-REPORT ";

  /** Kubernetes keeps at most this many bytes of a container's termination message. */
  public static final int TERMINATION_MESSAGE_MAX_BYTES = 4096;

  public static final int CURRENT_REPORT_VERSION = 1;

  /** The {@code program} of a plan report; a run report has none. */
  public static final String PLAN_PROGRAM = "plan";

  // Only reading needs databind: the runner, which only writes (ReportJson), never builds it. A
  // record's missing number or flag reaches Jackson as null, so nulls for primitives must read as
  // their default; parse() checks that the two that matter, outcome and exitCode, are present.
  private static final class Reader {
    static final ObjectMapper JSON =
        new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AppliedMigration(String version, String description, String script, long executionTimeMs) {}

  /** {@code actual} is absent when the query errored or returned no row, {@code error} when it ran. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record VerificationResult(String name, boolean passed, String actual, String expected, String error) {}

  /** One row of the schema history, in installed-rank order. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record HistoryEntry(String version, String description, String script, Integer checksum, boolean success) {}

  /** A script the plan would apply, in the order Flyway would apply it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PendingMigration(String version, String description, String script, Integer checksum) {}

  /**
   * A disagreement between the schema history and the scripts that a run would stop on; {@code
   * kind} is one of the constants below, a word the operator and alerts match on.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Finding(String kind, String version, String script, String message) {
    /** An applied script was changed since it was applied. */
    public static final String CHECKSUM_DRIFT = "CHECKSUM_DRIFT";
    /** The history records a failed migration. */
    public static final String FAILED = "FAILED";
    /** An applied migration is no longer among the scripts. */
    public static final String MISSING = "MISSING";
    /** A pending script is older than the current version, and outOfOrder is off. */
    public static final String OUT_OF_ORDER = "OUT_OF_ORDER";
    /** Any other validation error; the message says which. */
    public static final String OTHER = "OTHER";
  }

  /**
   * A statement of a pending script that the plan's review flagged: {@code rule} is the rule's
   * stable id, {@code severity} a {@link RiskLevel} word, {@code line} the statement's first line
   * in the script. {@code suppressed} is the reason a comment in the script gave for allowing it,
   * absent when the finding stands.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RiskFinding(String rule, String severity, String script, Integer line, String message,
      String saferAlternative, String suppressed) {

    /** How a message says that the plan's live data check found the statement will fail ("...; will fail: ..."). */
    public static final String WILL_FAIL = "will fail: ";

    public static boolean willFail(String message) {
      return message != null && message.contains("; " + WILL_FAIL);
    }
  }

  /** Thrown by {@link #parse} for anything that is not a report this class could have written. */
  public static final class MalformedReportException extends IllegalArgumentException {
    public MalformedReportException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The run's lists are never null; the plan's lists are null when absent (a run report), so they
   * stay out of its JSON. A missing total counts its list; a missing version is the first one.
   */
  public RunReport {
    reportVersion = reportVersion == 0 ? CURRENT_REPORT_VERSION : reportVersion;
    applied = applied == null ? List.of() : List.copyOf(applied);
    verification = verification == null ? List.of() : List.copyOf(verification);
    appliedTotal = appliedTotal == null ? applied.size() : appliedTotal;
    verificationTotal = verificationTotal == null ? verification.size() : verificationTotal;
    history = history == null ? null : List.copyOf(history);
    pending = pending == null ? null : List.copyOf(pending);
    findings = findings == null ? null : List.copyOf(findings);
    riskFindings = riskFindings == null ? null : List.copyOf(riskFindings);
    historyTotal = historyTotal == null && history != null ? Integer.valueOf(history.size()) : historyTotal;
    pendingTotal = pendingTotal == null && pending != null ? Integer.valueOf(pending.size()) : pendingTotal;
    findingsTotal = findingsTotal == null && findings != null ? Integer.valueOf(findings.size()) : findingsTotal;
    riskFindingsTotal = riskFindingsTotal == null && riskFindings != null
        ? Integer.valueOf(riskFindings.size()) : riskFindingsTotal;
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
      tree = Reader.JSON.readTree(json);
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
      return Reader.JSON.treeToValue(tree, RunReport.class);
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

  /** The full report on one line (every newline inside a string is escaped); see {@link ReportJson}. */
  public String toJson() {
    return ReportJson.write(this);
  }

  /** The report fitted into {@code maxBytes} of UTF-8 by {@link ReportCompactor}. */
  public String toCompactJson(int maxBytes) {
    return ReportCompactor.fit(this, maxBytes);
  }

  /**
   * This report with other list entries and message, marked as a shortened copy; the totals stay
   * those of the full lists.
   */
  RunReport truncatedTo(String message, Lists lists) {
    return new RunReport(reportVersion, program, outcome, exitCode, message, scriptsDigest, expectedDigest,
        scriptCount, target, flywayVersion, databaseProduct, databaseVersion, historyTableExists, plannedState,
        schemaVersionBefore, schemaVersionAfter, appliedTotal, lists.applied(), verificationTotal,
        lists.verification(), historyTotal, lists.history(), pendingTotal, lists.pending(), findingsTotal,
        lists.findings(), riskLevel, riskDigest, riskFindingsTotal, lists.riskFindings(), startedAt, finishedAt, true);
  }

  /** The report's lists, the part {@link ReportCompactor} shortens; a null plan list stays absent. */
  record Lists(List<AppliedMigration> applied, List<VerificationResult> verification, List<HistoryEntry> history,
      List<PendingMigration> pending, List<Finding> findings, List<RiskFinding> riskFindings) {}

  Lists lists() {
    return new Lists(applied, verification, history, pending, findings, riskFindings);
  }

  /** Collects a report step by step, as the runner learns each part. */
  public static final class Builder {
    private String program;
    private Outcome outcome;
    private String message;
    private String scriptsDigest;
    private String expectedDigest;
    private Integer scriptCount;
    private String target;
    private String flywayVersion;
    private String databaseProduct;
    private String databaseVersion;
    private Boolean historyTableExists;
    private String plannedState;
    private String schemaVersionBefore;
    private String schemaVersionAfter;
    private List<AppliedMigration> applied = List.of();
    private List<VerificationResult> verification = List.of();
    private Integer historyTotal;
    private List<HistoryEntry> history;
    private Integer pendingTotal;
    private List<PendingMigration> pending;
    private Integer findingsTotal;
    private List<Finding> findings;
    private String riskLevel;
    private String riskDigest;
    private List<RiskFinding> riskFindings;
    private String startedAt;
    private String finishedAt;

    private Builder() {}

    /** {@link #PLAN_PROGRAM} for a plan; a run leaves it unset. */
    public Builder program(String program) { this.program = program; return this; }
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
    public Builder historyTableExists(Boolean exists) { this.historyTableExists = exists; return this; }
    public Builder plannedState(String plannedState) { this.plannedState = plannedState; return this; }
    public Builder schemaVersionBefore(String version) { this.schemaVersionBefore = version; return this; }
    public Builder schemaVersionAfter(String version) { this.schemaVersionAfter = version; return this; }
    public Builder applied(List<AppliedMigration> applied) { this.applied = applied; return this; }
    public Builder verification(List<VerificationResult> results) { this.verification = results; return this; }
    /** The total defaults to the list's size; set it only for a list that is already shortened. */
    public Builder historyTotal(Integer total) { this.historyTotal = total; return this; }
    public Builder history(List<HistoryEntry> history) { this.history = history; return this; }
    public Builder pendingTotal(Integer total) { this.pendingTotal = total; return this; }
    public Builder pending(List<PendingMigration> pending) { this.pending = pending; return this; }
    public Builder findingsTotal(Integer total) { this.findingsTotal = total; return this; }
    public Builder findings(List<Finding> findings) { this.findings = findings; return this; }
    /** The plan's review: its level over every finding, their digest, and the findings. */
    public Builder risk(RiskLevel level, String digest, List<RiskFinding> findings) {
      this.riskLevel = level.word();
      this.riskDigest = digest;
      this.riskFindings = findings;
      return this;
    }
    public Builder startedAt(String startedAt) { this.startedAt = startedAt; return this; }
    public Builder finishedAt(String finishedAt) { this.finishedAt = finishedAt; return this; }

    public RunReport build() {
      return new RunReport(CURRENT_REPORT_VERSION, program, outcome, outcome == null ? 0 : outcome.exitCode(),
          message, scriptsDigest, expectedDigest, scriptCount, target, flywayVersion, databaseProduct,
          databaseVersion, historyTableExists, plannedState, schemaVersionBefore, schemaVersionAfter, null, applied,
          null, verification, historyTotal, history, pendingTotal, pending, findingsTotal, findings, riskLevel,
          riskDigest, null, riskFindings, startedAt, finishedAt, false);
    }
  }
}
