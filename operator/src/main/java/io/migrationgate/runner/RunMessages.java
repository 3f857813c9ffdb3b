package io.migrationgate.runner;

import io.migrationgate.contract.RunReport.AppliedMigration;
import io.migrationgate.contract.RunReport.VerificationResult;
import java.util.List;

/**
 * The one-line messages a run ends with: what it applied, what a failed migration left behind and
 * what to do about it, which verification query failed. The report carries the message into the
 * request's status, so each says what happened and what a person does next.
 */
final class RunMessages {

  private RunMessages() {}

  /** What a failed migration left: a rollback, or a script to repair by hand, and what ran before it. */
  static String aftermath(HistorySnapshot after, List<AppliedMigration> applied, String historyTable) {
    StringBuilder text = new StringBuilder();
    List<String> failedScripts = after.failedScripts();
    if (failedScripts.isEmpty()) {
      text.append("; the failed script was rolled back");
    } else {
      text.append("; the database could not roll back ")
          .append(String.join(", ", failedScripts))
          .append(" (no transactional DDL): undo its partial changes by hand and delete its failed")
          .append(" row from ")
          .append(historyTable)
          .append(" before the next run");
    }
    if (applied.isEmpty()) {
      text.append("; no migration was applied");
    } else {
      text.append("; applied before the failure: ").append(scriptRange(applied));
    }
    return text.toString();
  }

  static String success(
      HistorySnapshot before,
      HistorySnapshot after,
      List<AppliedMigration> applied,
      List<VerificationResult> verification,
      String target) {
    StringBuilder text = new StringBuilder();
    if (applied.isEmpty()) {
      text.append("no migration applied (0 applied): schema already up to date at version ")
          .append(version(after.currentVersion()));
    } else {
      text.append("applied ")
          .append(applied.size())
          .append(applied.size() == 1 ? " migration (" : " migrations (")
          .append(scriptRange(applied))
          .append("): schema version ")
          .append(version(before.currentVersion()))
          .append(" -> ")
          .append(version(after.currentVersion()));
    }
    after.baselineSince(before)
        .ifPresent(baseline -> text.append("; baselined the existing schema at version ").append(baseline));
    List<String> aboveTarget = after.aboveTarget();
    if (!aboveTarget.isEmpty()) {
      text.append("; stopped at target ")
          .append(target)
          .append(", ")
          .append(aboveTarget.size())
          .append(aboveTarget.size() == 1 ? " later script" : " later scripts")
          .append(" not applied (")
          .append(aboveTarget.get(0))
          .append(aboveTarget.size() > 1 ? ", ..." : "")
          .append(")");
    }
    if (!verification.isEmpty()) {
      text.append("; ")
          .append(verification.size())
          .append(verification.size() == 1 ? " verification query passed" : " verification queries passed");
    }
    return text.toString();
  }

  static String verificationFailure(
      List<VerificationResult> failed, List<VerificationResult> all, HistorySnapshot after) {
    VerificationResult first = failed.get(0);
    StringBuilder text =
        new StringBuilder("verification failed: ")
            .append(failed.size())
            .append(" of ")
            .append(all.size())
            .append(all.size() == 1 ? " query" : " queries")
            .append(" failed; \"")
            .append(first.name())
            .append("\" ");
    if (first.error() != null) {
      text.append("errored: ").append(first.error());
    } else {
      text.append("returned ")
          .append(first.actual())
          .append(", expected ")
          .append(first.expected());
    }
    text.append(". The migrations stay applied (schema version ")
        .append(version(after.currentVersion()))
        .append("): fix forward or carry out the rollback plan");
    return text.toString();
  }

  /** "V3__a.sql" or "V3__a.sql .. V9__b.sql", for a list that is not empty. */
  static String range(List<String> scripts) {
    if (scripts.size() == 1) {
      return scripts.get(0);
    }
    return scripts.get(0) + " .. " + scripts.get(scripts.size() - 1);
  }

  /** A schema version as the messages print it; an empty schema has none. */
  static String version(String version) {
    return version == null ? "<empty>" : version;
  }

  private static String scriptRange(List<AppliedMigration> applied) {
    return range(applied.stream().map(AppliedMigration::script).toList());
  }
}
