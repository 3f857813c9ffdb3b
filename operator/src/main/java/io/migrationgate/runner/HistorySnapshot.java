package io.migrationgate.runner;

import io.migrationgate.contract.RunReport.AppliedMigration;
import io.migrationgate.contract.RunReport.HistoryEntry;
import io.migrationgate.contract.RunReport.PendingMigration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;

/**
 * The schema history as Flyway's info saw it at one moment, and what it says: the rows as recorded,
 * the scripts still pending, failed or beyond the target, and (against an earlier snapshot) what a
 * migrate added.
 */
record HistorySnapshot(String currentVersion, Set<Integer> appliedRanks, List<MigrationInfo> all) {

  /** After a failure the history could not be read again: nothing is known to have been added. */
  static final HistorySnapshot UNKNOWN = new HistorySnapshot(null, Set.of(), List.of());

  static HistorySnapshot of(MigrationInfoService info) {
    MigrationInfo current = info.current();
    Set<Integer> ranks = new HashSet<>();
    for (MigrationInfo applied : info.applied()) {
      if (applied.getInstalledRank() != null) {
        ranks.add(applied.getInstalledRank());
      }
    }
    return new HistorySnapshot(current == null ? null : version(current), ranks, List.of(info.all()));
  }

  /**
   * Every row of the history table in installed-rank order, as recorded: an applied script's
   * checksum is the one stored when it ran, not the one of today's text.
   */
  List<HistoryEntry> entries() {
    return all.stream()
        .filter(m -> m.getInstalledRank() != null)
        .sorted(Comparator.comparing(MigrationInfo::getInstalledRank))
        .map(m -> new HistoryEntry(version(m), m.getDescription(), m.getScript(), m.getChecksum(),
            !m.getState().isFailed()))
        .toList();
  }

  /** The scripts a run would apply, in the order it would apply them (target and outOfOrder applied). */
  List<PendingMigration> pending() {
    return all.stream()
        .filter(m -> m.getState() == MigrationState.PENDING)
        .map(m -> new PendingMigration(version(m), m.getDescription(), m.getScript(), m.getChecksum()))
        .toList();
  }

  /**
   * Scripts that succeeded after {@code before}, in the order they were applied. Flyway's own
   * marker rows (schema creation, baseline) are not scripts anyone approved, so they are left out.
   */
  List<AppliedMigration> appliedSince(HistorySnapshot before) {
    List<AppliedMigration> applied = new ArrayList<>();
    for (MigrationInfo migration : rowsAddedSince(before)) {
      if (migration.getType().isSynthetic() || migration.getState().isFailed()) {
        continue;
      }
      applied.add(
          new AppliedMigration(
              version(migration),
              migration.getDescription(),
              migration.getScript(),
              migration.getExecutionTime() == null ? 0 : migration.getExecutionTime()));
    }
    return applied;
  }

  /** The version Flyway baselined an existing schema at since {@code before}, if it did. */
  Optional<String> baselineSince(HistorySnapshot before) {
    return rowsAddedSince(before).stream()
        .filter(m -> m.getType().isBaseline() && m.getVersion() != null)
        .map(m -> m.getVersion().getVersion())
        .findFirst();
  }

  /** Scripts recorded as failed in the history, which block every later run until repaired. */
  List<String> failedScripts() {
    return all.stream()
        .filter(m -> m.getState().isFailed() && m.getInstalledRank() != null)
        .map(MigrationInfo::getScript)
        .toList();
  }

  /** Scripts left pending because the target stopped the migration before them. */
  List<String> aboveTarget() {
    return all.stream()
        .filter(m -> m.getState() == MigrationState.ABOVE_TARGET)
        .map(MigrationInfo::getScript)
        .toList();
  }

  private List<MigrationInfo> rowsAddedSince(HistorySnapshot before) {
    List<MigrationInfo> rows = new ArrayList<>();
    for (MigrationInfo migration : all) {
      Integer rank = migration.getInstalledRank();
      if (rank != null && !before.appliedRanks().contains(rank) && migration.getState().isApplied()) {
        rows.add(migration);
      }
    }
    return rows;
  }

  private static String version(MigrationInfo migration) {
    return migration.getVersion() == null ? null : migration.getVersion().getVersion();
  }
}
