package io.migrationgate.runner;

import io.migrationgate.contract.RiskLevel;
import io.migrationgate.contract.RunReport.PendingMigration;
import io.migrationgate.contract.RunReport.RiskFinding;
import io.migrationgate.contract.RunnerCommand;
import io.migrationgate.runner.review.Dialect;
import io.migrationgate.runner.review.ScriptReview;
import io.migrationgate.runner.review.ScriptReview.Review;
import io.migrationgate.runner.review.ScriptReview.Script;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The plan's review of the scripts it found pending, in the order Flyway would apply them (see
 * {@link ScriptReview}); applied scripts are not reviewed again.
 */
final class PlanReview {

  private static final int FINDINGS_NAMED = 3;

  private PlanReview() {}

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
      return new Review(List.of(finding), RiskLevel.HIGH, ScriptReview.digest(List.of(finding)));
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
        text.append(i == 0 ? "" : ", ").append(finding.rule()).append(' ').append(finding.script()).append(':')
            .append(finding.line());
      }
      text.append(standing.size() > FINDINGS_NAMED ? ", ...)" : ")");
    }
    if (allowed > 0) {
      text.append(standing.isEmpty() ? ": " : "; ").append(allowed).append(" allowed by the scripts' comments");
    }
    return text.toString();
  }
}
