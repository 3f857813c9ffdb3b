package io.migrationgate.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one runner execution did, as the runner writes it and the operator reads it back.
 *
 * <p>The runner emits it twice: in full as one stdout line after {@link #STDOUT_MARKER} (kept by
 * the log tail, any size), and compacted to fit the 4 KiB Kubernetes termination message. A
 * compacted report keeps the first and last entries of each list and says so with {@code
 * truncated=true}; {@code appliedTotal} and {@code verificationTotal} always count the real lists,
 * so a reader never mistakes a shortened list for the whole story.
 *
 * <p>Unknown JSON properties are ignored when parsing so that an operator can read a report written
 * by a newer runner image.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "reportVersion", "outcome", "exitCode", "message", "scriptsDigest", "expectedDigest",
  "scriptCount", "target", "flywayVersion", "databaseProduct", "databaseVersion",
  "schemaVersionBefore", "schemaVersionAfter", "appliedTotal", "applied", "verificationTotal",
  "verification", "startedAt", "finishedAt", "truncated"
})
public final class RunReport {

  /** Prefix of the single stdout line carrying the full report; log scrapers search for it. */
  public static final String STDOUT_MARKER = "MIGRATION-GATE-REPORT ";

  /** Kubernetes keeps at most this many bytes of a container's termination message. */
  public static final int TERMINATION_MESSAGE_MAX_BYTES = 4096;

  public static final int CURRENT_REPORT_VERSION = 1;

  // Entries longer than this carry SQL text or driver noise; their head is what a person reads.
  private static final int COMPACT_ENTRY_TEXT_CHARS = 200;
  private static final int COMPACT_MESSAGE_BYTES = 1024;
  private static final int MINIMAL_MESSAGE_BYTES = 160;
  private static final String ELLIPSIS = "...";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

  /** One terminal state per run; each maps to exactly one exit code of the runner. */
  public enum Outcome {
    SUCCEEDED,
    BAD_ARGUMENTS,
    DIGEST_MISMATCH,
    CONNECTION_FAILED,
    VALIDATION_FAILED,
    MIGRATION_FAILED,
    VERIFICATION_FAILED
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"version", "description", "script", "executionTimeMs"})
  public static final class AppliedMigration {
    private String version;
    private String description;
    private String script;
    private long executionTimeMs;

    public AppliedMigration() {}

    public AppliedMigration(String version, String description, String script, long executionTimeMs) {
      this.version = version;
      this.description = description;
      this.script = script;
      this.executionTimeMs = executionTimeMs;
    }

    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }
    public String getScript() { return script; }
    public void setScript(String script) { this.script = script; }
    public long getExecutionTimeMs() { return executionTimeMs; }
    public void setExecutionTimeMs(long executionTimeMs) { this.executionTimeMs = executionTimeMs; }

    AppliedMigration shortened() {
      return new AppliedMigration(
          version, shorten(description, COMPACT_ENTRY_TEXT_CHARS), script, executionTimeMs);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof AppliedMigration other
          && executionTimeMs == other.executionTimeMs
          && Objects.equals(version, other.version)
          && Objects.equals(description, other.description)
          && Objects.equals(script, other.script);
    }

    @Override
    public int hashCode() {
      return Objects.hash(version, description, script, executionTimeMs);
    }

    @Override
    public String toString() {
      return "AppliedMigration[" + version + ", " + script + ", " + executionTimeMs + " ms]";
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"name", "passed", "actual", "expected", "error"})
  public static final class VerificationResult {
    private String name;
    private boolean passed;
    private String actual;
    private String expected;
    private String error;

    public VerificationResult() {}

    public VerificationResult(
        String name, boolean passed, String actual, String expected, String error) {
      this.name = name;
      this.passed = passed;
      this.actual = actual;
      this.expected = expected;
      this.error = error;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public boolean isPassed() { return passed; }
    public void setPassed(boolean passed) { this.passed = passed; }
    public String getActual() { return actual; }
    public void setActual(String actual) { this.actual = actual; }
    public String getExpected() { return expected; }
    public void setExpected(String expected) { this.expected = expected; }
    public String getError() { return error; }
    public void setError(String error) { this.error = error; }

    VerificationResult shortened() {
      return new VerificationResult(
          shorten(name, COMPACT_ENTRY_TEXT_CHARS),
          passed,
          shorten(actual, COMPACT_ENTRY_TEXT_CHARS),
          shorten(expected, COMPACT_ENTRY_TEXT_CHARS),
          shorten(error, COMPACT_ENTRY_TEXT_CHARS));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof VerificationResult other
          && passed == other.passed
          && Objects.equals(name, other.name)
          && Objects.equals(actual, other.actual)
          && Objects.equals(expected, other.expected)
          && Objects.equals(error, other.error);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, passed, actual, expected, error);
    }

    @Override
    public String toString() {
      return "VerificationResult[" + name + ", passed=" + passed + ", actual=" + actual + "]";
    }
  }

  /** Thrown by {@link #parse} for anything that is not a report this class could have written. */
  public static final class MalformedReportException extends IllegalArgumentException {
    public MalformedReportException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private int reportVersion = CURRENT_REPORT_VERSION;
  private Outcome outcome;
  private int exitCode;
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
  private List<AppliedMigration> applied = new ArrayList<>();
  private Integer appliedTotal;
  private List<VerificationResult> verification = new ArrayList<>();
  private Integer verificationTotal;
  private String startedAt;
  private String finishedAt;
  private boolean truncated;

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

  /** The full report on one line (Jackson escapes every newline inside strings). */
  public String toJson() {
    return write(withTotals());
  }

  /**
   * The report shrunk step by step until its UTF-8 encoding fits {@code maxBytes}: long list
   * entries are shortened first, then the lists keep fewer entries (always the first and the last
   * ones), then the message is shortened, and only then are the lists dropped altogether.
   */
  public String toCompactJson(int maxBytes) {
    RunReport full = withTotals();
    String json = write(full);
    if (utf8Length(json) <= maxBytes) {
      return json;
    }
    RunReport compact = full.copy();
    compact.truncated = true;
    compact.applied = mapAll(full.applied, AppliedMigration::shortened);
    compact.verification = mapAll(full.verification, VerificationResult::shortened);
    json = write(compact);
    if (utf8Length(json) <= maxBytes) {
      return json;
    }
    String fitted = fitLists(compact, full, maxBytes);
    if (fitted != null) {
      return fitted;
    }
    compact.message = shortenToBytes(full.message, COMPACT_MESSAGE_BYTES);
    fitted = fitLists(compact, full, maxBytes);
    if (fitted != null) {
      return fitted;
    }
    compact.applied = List.of();
    compact.verification = List.of();
    compact.message = shortenToBytes(full.message, MINIMAL_MESSAGE_BYTES);
    json = write(compact);
    if (utf8Length(json) <= maxBytes) {
      return json;
    }
    throw new IllegalArgumentException(
        "a run report needs more than " + maxBytes + " bytes even without its lists");
  }

  /**
   * Keeps as many entries as fit, preferring the first ones and always the last one, which is
   * where a failure shows up; returns null when even first-and-last does not fit.
   */
  private static String fitLists(RunReport compact, RunReport full, int maxBytes) {
    List<AppliedMigration> allApplied = mapAll(full.applied, AppliedMigration::shortened);
    List<VerificationResult> allVerification =
        mapAll(full.verification, VerificationResult::shortened);
    int longest = Math.max(allApplied.size(), allVerification.size());
    int low = Math.min(2, longest);
    int high = longest;
    String best = null;
    while (low <= high) {
      int keep = (low + high) >>> 1;
      compact.applied = firstAndLast(allApplied, keep);
      compact.verification = firstAndLast(allVerification, keep);
      String json = write(compact);
      if (utf8Length(json) <= maxBytes) {
        best = json;
        low = keep + 1;
      } else {
        high = keep - 1;
      }
    }
    return best;
  }

  static <T> List<T> firstAndLast(List<T> list, int keep) {
    if (list.size() <= keep) {
      return list;
    }
    if (keep <= 1) {
      return keep == 1 ? List.of(list.get(list.size() - 1)) : List.of();
    }
    List<T> kept = new ArrayList<>(list.subList(0, keep - 1));
    kept.add(list.get(list.size() - 1));
    return kept;
  }

  private RunReport withTotals() {
    RunReport copy = copy();
    if (copy.appliedTotal == null) {
      copy.appliedTotal = applied.size();
    }
    if (copy.verificationTotal == null) {
      copy.verificationTotal = verification.size();
    }
    return copy;
  }

  private RunReport copy() {
    RunReport copy = new RunReport();
    copy.reportVersion = reportVersion;
    copy.outcome = outcome;
    copy.exitCode = exitCode;
    copy.message = message;
    copy.scriptsDigest = scriptsDigest;
    copy.expectedDigest = expectedDigest;
    copy.scriptCount = scriptCount;
    copy.target = target;
    copy.flywayVersion = flywayVersion;
    copy.databaseProduct = databaseProduct;
    copy.databaseVersion = databaseVersion;
    copy.schemaVersionBefore = schemaVersionBefore;
    copy.schemaVersionAfter = schemaVersionAfter;
    copy.applied = new ArrayList<>(applied);
    copy.appliedTotal = appliedTotal;
    copy.verification = new ArrayList<>(verification);
    copy.verificationTotal = verificationTotal;
    copy.startedAt = startedAt;
    copy.finishedAt = finishedAt;
    copy.truncated = truncated;
    return copy;
  }

  private static String write(RunReport report) {
    try {
      return JSON.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a run report always serializes", e);
    }
  }

  private static <T> List<T> mapAll(List<T> list, java.util.function.UnaryOperator<T> f) {
    List<T> mapped = new ArrayList<>(list.size());
    for (T t : list) {
      mapped.add(f.apply(t));
    }
    return mapped;
  }

  static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  static String shorten(String s, int maxChars) {
    if (s == null || s.length() <= maxChars) {
      return s;
    }
    int end = maxChars - ELLIPSIS.length();
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + ELLIPSIS;
  }

  static String shortenToBytes(String s, int maxBytes) {
    if (s == null || utf8Length(s) <= maxBytes) {
      return s;
    }
    // JSON escaping can grow a string, so aim a little under the budget by characters first.
    String shortened = shorten(s, Math.max(ELLIPSIS.length() + 1, maxBytes));
    while (utf8Length(shortened) > maxBytes && shortened.length() > ELLIPSIS.length() + 1) {
      shortened = shorten(shortened, shortened.length() - Math.max(1, shortened.length() / 10));
    }
    return shortened;
  }

  public int getReportVersion() { return reportVersion; }
  public void setReportVersion(int reportVersion) { this.reportVersion = reportVersion; }
  public Outcome getOutcome() { return outcome; }
  public void setOutcome(Outcome outcome) { this.outcome = outcome; }
  public int getExitCode() { return exitCode; }
  public void setExitCode(int exitCode) { this.exitCode = exitCode; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getScriptsDigest() { return scriptsDigest; }
  public void setScriptsDigest(String scriptsDigest) { this.scriptsDigest = scriptsDigest; }
  public String getExpectedDigest() { return expectedDigest; }
  public void setExpectedDigest(String expectedDigest) { this.expectedDigest = expectedDigest; }
  public Integer getScriptCount() { return scriptCount; }
  public void setScriptCount(Integer scriptCount) { this.scriptCount = scriptCount; }
  public String getTarget() { return target; }
  public void setTarget(String target) { this.target = target; }
  public String getFlywayVersion() { return flywayVersion; }
  public void setFlywayVersion(String flywayVersion) { this.flywayVersion = flywayVersion; }
  public String getDatabaseProduct() { return databaseProduct; }
  public void setDatabaseProduct(String databaseProduct) { this.databaseProduct = databaseProduct; }
  public String getDatabaseVersion() { return databaseVersion; }
  public void setDatabaseVersion(String databaseVersion) { this.databaseVersion = databaseVersion; }
  public String getSchemaVersionBefore() { return schemaVersionBefore; }
  public void setSchemaVersionBefore(String v) { this.schemaVersionBefore = v; }
  public String getSchemaVersionAfter() { return schemaVersionAfter; }
  public void setSchemaVersionAfter(String v) { this.schemaVersionAfter = v; }
  public List<AppliedMigration> getApplied() { return applied; }
  public void setApplied(List<AppliedMigration> applied) {
    this.applied = applied == null ? new ArrayList<>() : new ArrayList<>(applied);
  }
  /** How many migrations were applied, even when {@link #getApplied()} was shortened. */
  public Integer getAppliedTotal() { return appliedTotal == null ? applied.size() : appliedTotal; }
  public void setAppliedTotal(Integer appliedTotal) { this.appliedTotal = appliedTotal; }
  public List<VerificationResult> getVerification() { return verification; }
  public void setVerification(List<VerificationResult> verification) {
    this.verification = verification == null ? new ArrayList<>() : new ArrayList<>(verification);
  }
  /** How many verification queries ran, even when {@link #getVerification()} was shortened. */
  public Integer getVerificationTotal() {
    return verificationTotal == null ? verification.size() : verificationTotal;
  }
  public void setVerificationTotal(Integer verificationTotal) {
    this.verificationTotal = verificationTotal;
  }
  public String getStartedAt() { return startedAt; }
  public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
  public String getFinishedAt() { return finishedAt; }
  public void setFinishedAt(String finishedAt) { this.finishedAt = finishedAt; }
  public boolean isTruncated() { return truncated; }
  public void setTruncated(boolean truncated) { this.truncated = truncated; }
}
