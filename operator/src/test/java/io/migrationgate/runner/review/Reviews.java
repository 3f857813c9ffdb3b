package io.migrationgate.runner.review;

import io.migrationgate.contract.RunReport.RiskFinding;
import io.migrationgate.runner.review.ScriptReview.Review;
import io.migrationgate.runner.review.ScriptReview.Script;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reviews written as plain strings, for the rule tests. */
final class Reviews {

  /** The script under test; the tables it names were created by earlier, applied scripts, so they exist. */
  static final String V2 = "V2__change.sql";

  private Reviews() {}

  static Review postgres(String script) {
    return ScriptReview.review(Dialect.POSTGRESQL, List.of(new Script(V2, script, Optional.empty())), Map.of());
  }

  static Review mariadb(String script) {
    return ScriptReview.review(Dialect.MARIADB, List.of(new Script(V2, script, Optional.empty())), Map.of());
  }

  static Review of(Dialect dialect, String script) {
    return ScriptReview.review(dialect, List.of(new Script(V2, script, Optional.empty())), Map.of());
  }

  /** The rule ids of the findings that stand (not suppressed), in order. */
  static List<String> standing(Review review) {
    return review.findings().stream().filter(f -> f.suppressed() == null).map(RiskFinding::rule).toList();
  }

  static List<String> rules(Review review) {
    return review.findings().stream().map(RiskFinding::rule).toList();
  }

  static RiskFinding only(Review review, String rule) {
    List<RiskFinding> matching = review.findings().stream().filter(f -> f.rule().equals(rule)).toList();
    if (matching.size() != 1) {
      throw new AssertionError("expected one " + rule + " finding, got " + review.findings());
    }
    return matching.get(0);
  }
}
