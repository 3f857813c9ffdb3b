package io.migrationgate.runner;

import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RiskLevel;
import io.migrationgate.contract.RunReport.PendingMigration;
import io.migrationgate.contract.RunReport.RiskFinding;
import io.migrationgate.contract.RunnerCommand;
import io.migrationgate.runner.DataAnswer.Verdict;
import io.migrationgate.runner.review.Dialect;
import io.migrationgate.runner.review.ScriptReview;
import io.migrationgate.runner.review.ScriptReview.Review;
import io.migrationgate.runner.review.ScriptReview.Script;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The plan's review of the scripts it found pending, in the order Flyway would apply them (see
 * {@link ScriptReview}); applied scripts are not reviewed again.
 */
final class PlanReview {

  private static final int FINDINGS_NAMED = 3;

  /** The review with the live data's answers in its findings, and the answers, one per check. */
  record Checked(Review review, List<DataAnswer> answers) {}

  private PlanReview() {}

  /**
   * Asks the database the review's data questions ({@link LiveDataChecks}) on a connection of
   * {@code dataSource} and writes each answer into its finding: a statement that will fail raises
   * its finding to high, one whose values the server would change to destructive.
   */
  static Checked withLiveData(Review review, DataSource dataSource, RunnerCommand command, String databaseProduct,
      Duration checkTimeout) throws RunnerFailure {
    if (review.checks().isEmpty()) {
      return new Checked(review, List.of());
    }
    List<DataAnswer> answers;
    try (Connection connection = dataSource.getConnection()) {
      Dialect dialect = Dialect.ofProduct(databaseProduct);
      answers = LiveDataChecks.answer(connection, dialect, LivePlan.defaultSchema(connection, command, dialect.postgres()),
          review.checks(), checkTimeout, LiveDataChecks.ALL_CHECKS_TIME);
    } catch (SQLException e) {
      throw new RunnerFailure(ConnectionFailures.outcomeOfRead(e, Outcome.VALIDATION_FAILED),
          "cannot open a connection for the data checks: " + ConnectionFailures.safeMessage(e), e);
    }
    List<RiskFinding> findings = new ArrayList<>(review.findings());
    for (int i = 0; i < findings.size(); i++) {
      RiskFinding finding = findings.get(i);
      List<DataAnswer> own = new ArrayList<>();
      for (int c = 0; c < answers.size(); c++) {
        if (review.checks().get(c).finding() == i) {
          own.add(answers.get(c));
        }
      }
      if (!own.isEmpty()) {
        RiskLevel severity = RiskLevel.ofWord(finding.severity());
        for (DataAnswer answer : own) {
          RiskLevel raised = answer.verdict() == Verdict.FAILS ? RiskLevel.HIGH
              : answer.verdict() == Verdict.CHANGES_DATA ? RiskLevel.DESTRUCTIVE : RiskLevel.NONE;
          severity = raised.compareTo(severity) > 0 ? raised : severity;
        }
        findings.set(i, new RiskFinding(finding.rule(), severity.word(), finding.script(), finding.line(),
            finding.message() + "; " + own.stream().map(DataAnswer::text).collect(Collectors.joining("; ")),
            finding.saferAlternative(), finding.suppressed()));
      }
    }
    return new Checked(new Review(List.copyOf(findings), RiskLevel.of(findings), ScriptReview.digest(findings),
        review.checks()), answers);
  }

  /** E.g. "data checks: 3 asked in 41 ms: 1 passed, 1 will fail, 1 not decided". */
  static String describeChecks(Checked checked, long millis) {
    Map<Verdict, Long> verdicts = checked.answers().stream()
        .collect(Collectors.groupingBy(DataAnswer::verdict, () -> new EnumMap<>(Verdict.class), Collectors.counting()));
    return "data checks: " + checked.answers().size() + " asked in " + millis + " ms" + verdicts.entrySet().stream()
        .map(v -> v.getValue() + " " + v.getKey().words())
        .collect(Collectors.joining(", ", ": ", ""));
  }

  static Review of(MountedScripts scripts, List<PendingMigration> pending, RunnerCommand command, String databaseProduct) {
    List<Script> reviewed = new ArrayList<>();
    for (PendingMigration migration : pending) {
      String text = scripts.contentByName().get(migration.script());
      if (text != null) {
        reviewed.add(new Script(migration.script(), text,
            executeInTransaction(scripts.contentByName().get(migration.script() + ".conf"))));
      }
    }
    try {
      return ScriptReview.review(Dialect.ofProduct(databaseProduct), reviewed, command.placeholders());
    } catch (RuntimeException | LinkageError e) {
      // A fault of the review must not pass the scripts as reviewed, nor stop the plan.
      RiskFinding finding = new RiskFinding("not-analysed", RiskLevel.HIGH.word(), reviewed.isEmpty() ? null
          : reviewed.get(0).name(), 1, "not analysed: the review failed (" + OneLine.of(String.valueOf(e)) + ")",
          "review the scripts by hand", null);
      return new Review(List.of(finding), RiskLevel.HIGH, ScriptReview.digest(List.of(finding)), List.of());
    }
  }

  /** Flyway's script configuration file ({@code V3__x.sql.conf}): only its executeInTransaction matters here. */
  static Optional<Boolean> executeInTransaction(String conf) {
    if (conf == null) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(conf));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
    String value = properties.getProperty("executeInTransaction");
    return value == null ? Optional.empty() : Optional.of(Boolean.parseBoolean(value.strip()));
  }

  /** E.g. "; review: risk high: 2 findings (pg-index-without-concurrently V3__index.sql:2, ...)". */
  static String describe(Review review) {
    List<RiskFinding> standing = review.findings().stream().filter(f -> f.suppressed() == null).toList();
    long allowed = review.findings().size() - standing.size();
    StringBuilder text = new StringBuilder("; review: risk ").append(review.level().word());
    if (!standing.isEmpty()) {
      text.append(": ").append(standing.size()).append(standing.size() == 1 ? " finding (" : " findings (");
      for (int i = 0; i < Math.min(FINDINGS_NAMED, standing.size()); i++) {
        RiskFinding finding = standing.get(i);
        // a finding about a whole image has no line
        text.append(i == 0 ? "" : ", ").append(finding.rule()).append(' ').append(finding.script())
            .append(finding.line() == null ? "" : ":" + finding.line())
            .append(RiskFinding.willFail(finding.message()) ? " will fail" : "");
      }
      text.append(standing.size() > FINDINGS_NAMED ? ", ...)" : ")");
    }
    if (allowed > 0) {
      text.append(standing.isEmpty() ? ": " : "; ").append(allowed).append(" allowed by the scripts' comments");
    }
    return text.toString();
  }
}
