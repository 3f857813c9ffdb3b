package io.migrationgate.contract;

import io.migrationgate.contract.RunReport.HistoryEntry;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database state a plan was made against: the current schema version and a digest of the
 * whole schema history. An approval names the scripts and this state together ({@link
 * #approvalDigest}), and the runner refuses to migrate when the live state is no longer this one,
 * so that what runs is what the approver saw planned.
 *
 * <p>Its text form ({@link #toString()}) travels on the runner's command line as {@code
 * --expected-state} and in the plan report as {@code plannedState}; {@link #parse} reads it back.
 */
public record PlannedState(String currentVersion, String historyDigest) {

  private static final Pattern TEXT =
      Pattern.compile("version=(" + Versions.VERSION + ")?;history=(sha256:[0-9a-f]{64})");
  private static final String TEXT_HINT =
      "version=<current version, empty when nothing is applied>;history=sha256:<64 hex digits>";

  public PlannedState {
    if (currentVersion != null && !Versions.isVersion(currentVersion)) {
      throw new IllegalArgumentException(
          "a planned state's current version must be a version such as 5 or 2.1, got '" + currentVersion + "'");
    }
    if (historyDigest == null || !historyDigest.matches("sha256:[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "a planned state's history digest must look like sha256:<64 hex digits>, got '" + historyDigest + "'");
    }
  }

  /**
   * The state of a schema whose history holds these rows, in history (installed rank) order. Every
   * field of a row counts, so an applied script edited since (checksum), a failed attempt, a
   * repaired row or a migration applied by someone else all make a different state.
   */
  public static PlannedState of(String currentVersion, List<HistoryEntry> history) {
    StringBuilder rows = new StringBuilder();
    for (HistoryEntry entry : history) {
      rows.append(text(entry.version())).append('|')
          .append(text(entry.description())).append('|')
          .append(text(entry.script())).append('|')
          .append(entry.checksum() == null ? "" : entry.checksum().toString()).append('|')
          .append(entry.success()).append('\n');
    }
    return new PlannedState(currentVersion, sha256(rows.toString()));
  }

  /** Reads what {@link #toString()} wrote; anything else is refused with the expected shape. */
  public static PlannedState parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a planned state is missing; expected " + TEXT_HINT);
    }
    Matcher matcher = TEXT.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a planned state; expected " + TEXT_HINT);
    }
    return new PlannedState(matcher.group(1), matcher.group(3));
  }

  /**
   * The digest an approver pins: the scripts and the database state they will be applied to, so
   * that one approval names one concrete change.
   */
  public static String approvalDigest(String scriptsDigest, PlannedState state) {
    return sha256(scriptsDigest + "\n" + state);
  }

  /**
   * The same, also naming the plan's review of the scripts (its findings' digest), so that what the
   * approver read about the scripts is part of what they approve.
   */
  public static String approvalDigest(String scriptsDigest, PlannedState state, String reviewDigest) {
    return sha256(scriptsDigest + "\n" + state + "\n" + reviewDigest);
  }

  /** For messages: "version 2" or "no migration applied". */
  public String describe() {
    return currentVersion == null ? "no migration applied" : "version " + currentVersion;
  }

  @Override
  public String toString() {
    return "version=" + (currentVersion == null ? "" : currentVersion) + ";history=" + historyDigest;
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }

  private static String sha256(String text) {
    return ScriptsDigest.PREFIX + ScriptsDigest.ofContent(text);
  }
}
