package io.migrationgate.runner.review;

import io.migrationgate.contract.RiskLevel;
import io.migrationgate.contract.RunReport.RiskFinding;
import io.migrationgate.contract.ScriptsDigest;
import io.migrationgate.runner.review.ReadStatement.Suppression;
import io.migrationgate.runner.review.ReviewContext.Flag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.statement.CreateFunctionalStatement;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The plan's review of the pending scripts: every statement, as Flyway will split and run it, is
 * parsed with JSqlParser and checked against the {@link Rule}s. A statement the parser cannot
 * read, or a body it does not look into (functions, procedures), is a {@link Rule#NOT_ANALYSED}
 * finding, never a silent pass. A comment {@code -- migration-gate:allow <rule-id> <reason>} on a
 * statement's lines (or just above it) allows that rule's finding there; the finding stays in the
 * review with the reason, for the approver to read, and no longer counts towards the level.
 */
public final class ScriptReview {

  /** A pending script, in the order Flyway applies them; {@code executeInTransaction} is its {@code .conf}'s setting. */
  public record Script(String name, String text, Optional<Boolean> executeInTransaction) {}

  /**
   * The findings in script and line order, the level they make, the digest the approval covers,
   * and the questions to put to the live data, each for one finding.
   */
  public record Review(List<RiskFinding> findings, RiskLevel level, String digest, List<DataCheck> checks) {}

  /**
   * A question whose answer decides finding number {@code finding}; {@code changedBefore} names an
   * earlier reviewed statement that writes the rows asked about ("V3__dedupe.sql:2"), when one does.
   */
  public record DataCheck(int finding, DataQuestion question, String changedBefore) {}

  static final Duration PARSE_TIME_LIMIT = Duration.ofSeconds(5);

  // Flyway's built-in placeholders take their values from the live database; the review reads
  // the statements' shape, so a stand-in serves (a script that uses them is then still read).
  private static final List<String> FLYWAY_PLACEHOLDERS = List.of("defaultSchema", "user", "database", "timestamp",
      "filename", "workingDirectory", "table", "environment");

  private ScriptReview() {}

  /** Reviews the scripts with the placeholders the run substitutes. */
  public static Review review(Dialect dialect, List<Script> scripts, Map<String, String> placeholders) {
    Map<String, String> values = new HashMap<>();
    FLYWAY_PLACEHOLDERS.forEach(name -> values.put("flyway:" + name, "flyway_" + name));
    values.putAll(placeholders);
    FluentConfiguration configuration = new FluentConfiguration(ScriptReview.class.getClassLoader()).placeholders(values);
    ReviewContext context = new ReviewContext(dialect);
    List<RiskFinding> findings = new ArrayList<>();
    List<DataCheck> checks = new ArrayList<>();
    try (SqlParser parser = new SqlParser(PARSE_TIME_LIMIT)) {
      for (Script script : scripts) {
        ScriptStatements.Split split = ScriptStatements.of(dialect, configuration, script.name(), script.text());
        List<ReadStatement> statements = new ArrayList<>();
        split.pieces().forEach(piece -> statements.add(ReadStatement.read(script.name(), piece, dialect, parser)));
        List<ReadStatement> owned = withTheirSuppressions(statements, ReadStatement.suppressionsIn(script.text(), dialect),
            script.name(), findings);
        context.startScript(owned, script.executeInTransaction());
        for (ReadStatement statement : owned) {
          judge(statement, flags(statement, context), context, findings, checks);
          context.after(statement);
        }
        split.unreadable().ifPresent(stop -> findings.add(finding(Rule.NOT_ANALYSED, script.name(), stop.line(),
            "Flyway cannot read the script from here on (" + stop.reason() + "), so neither can the review", null)));
      }
    }
    return new Review(List.copyOf(findings), RiskLevel.of(findings), digest(findings), List.copyOf(checks));
  }

  private static List<Flag> flags(ReadStatement statement, ReviewContext context) {
    // read from the statement's words, so they hold whether or not the parser can read the rest
    List<Flag> flags = new ArrayList<>(DestructiveRules.check(statement, context));
    if (context.dialect.postgres()) {
      flags.addAll(PostgresRules.concurrentlyInTransaction(statement, context));
    }
    if (statement.parsed() == null) {
      flags.add(new Flag(Rule.NOT_ANALYSED, "not analysed: " + statement.failure() + "; review it by hand"));
      return flags;
    }
    if (statement.parsed() instanceof CreateFunctionalStatement function) {
      flags.add(new Flag(Rule.NOT_ANALYSED, "not analysed: the body of " + function.getKind().toLowerCase()
          + " " + function.getFunctionDeclarationParts().get(0) + " is not parsed; review it by hand"));
    }
    flags.addAll(DataRules.check(statement, context));
    flags.addAll(context.dialect.postgres() ? PostgresRules.check(statement, context) : MysqlRules.check(statement, context));
    return flags;
  }

  /**
   * One finding per rule and statement, with the data questions of its flags; a valid suppression
   * for the rule turns it into an allowed one.
   */
  private static void judge(ReadStatement statement, List<Flag> flags, ReviewContext context, List<RiskFinding> findings,
      List<DataCheck> checks) {
    Map<Rule, String> messages = new LinkedHashMap<>();
    Map<Rule, Set<DataQuestion>> questions = new HashMap<>();
    for (Flag flag : flags) {
      messages.merge(flag.rule(), flag.message(), (a, b) -> a.equals(b) ? a : a + "; " + b);
      questions.computeIfAbsent(flag.rule(), rule -> new LinkedHashSet<>()).addAll(flag.questions());
    }
    Set<Suppression> used = new HashSet<>();
    for (Map.Entry<Rule, String> flagged : messages.entrySet()) {
      Optional<Suppression> allowed = statement.suppressions().stream()
          .filter(s -> s.problem() == null && s.ruleId().equals(flagged.getKey().id())).findFirst();
      allowed.ifPresent(used::add);
      findings.add(finding(flagged.getKey(), statement.script(), statement.line(), flagged.getValue(),
          allowed.map(Suppression::reason).orElse(null)));
      for (DataQuestion question : questions.get(flagged.getKey())) {
        checks.add(new DataCheck(findings.size() - 1, question, context.changedBefore(question.tables()).orElse(null)));
      }
    }
    for (Suppression suppression : statement.suppressions()) {
      if (suppression.problem() != null) {
        findings.add(finding(Rule.SUPPRESSION_INVALID, statement.script(), suppression.line(),
            "the " + ReadStatement.SUPPRESSION_MARK + " comment " + suppression.problem() + ", so it allows nothing", null));
      } else if (!used.contains(suppression)) {
        findings.add(finding(Rule.SUPPRESSION_INVALID, statement.script(), suppression.line(), "the "
            + ReadStatement.SUPPRESSION_MARK + " comment allows " + suppression.ruleId()
            + ", but the statement it belongs to (line " + statement.line() + ") has no such finding", null));
      }
    }
  }

  /**
   * Gives each suppression comment to the statement it is written on (the last one, when several
   * share the line) or, between statements, to the one after it. One after the last statement
   * belongs to none and allows nothing.
   */
  private static List<ReadStatement> withTheirSuppressions(List<ReadStatement> statements, List<Suppression> suppressions,
      String script, List<RiskFinding> findings) {
    List<List<Suppression>> owned = new ArrayList<>();
    statements.forEach(s -> owned.add(new ArrayList<>()));
    for (Suppression suppression : suppressions) {
      int owner = -1;
      for (int i = 0; i < statements.size() && owner < 0; i++) {
        if (statements.get(i).covers(suppression.line())
            && (i + 1 == statements.size() || !statements.get(i + 1).covers(suppression.line()))
            || statements.get(i).line() > suppression.line()) {
          owner = i;
        }
      }
      if (owner < 0) {
        findings.add(finding(Rule.SUPPRESSION_INVALID, script, suppression.line(), "the " + ReadStatement.SUPPRESSION_MARK
            + " comment comes after the script's last statement, so it allows nothing", null));
      } else {
        owned.get(owner).add(suppression);
      }
    }
    List<ReadStatement> result = new ArrayList<>();
    for (int i = 0; i < statements.size(); i++) {
      result.add(statements.get(i).withSuppressions(owned.get(i)));
    }
    return result;
  }

  private static RiskFinding finding(Rule rule, String script, int line, String message, String suppressed) {
    return new RiskFinding(rule.id(), rule.severity().word(), script, line, message, rule.saferAlternative(), suppressed);
  }

  /** Over every field of every finding, so an approval names this review and no other. */
  public static String digest(List<RiskFinding> findings) {
    StringBuilder text = new StringBuilder();
    for (RiskFinding f : findings) {
      text.append(f.rule()).append('|').append(f.severity()).append('|').append(f.script()).append('|').append(f.line())
          .append('|').append(f.message()).append('|').append(f.saferAlternative()).append('|')
          .append(f.suppressed() == null ? "" : f.suppressed()).append('\n');
    }
    return ScriptsDigest.PREFIX + ScriptsDigest.ofContent(text.toString());
  }
}
