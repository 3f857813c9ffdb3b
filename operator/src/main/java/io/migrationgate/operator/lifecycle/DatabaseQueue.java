package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One running migration per database across the cluster. A request may launch when no other
 * request on the same database is running or launching, and no request approved before it is
 * still waiting (first approved, first served). The launch marker in status is what makes a
 * request count as running; the request that holds the operator's claim on the database
 * ({@code claimant}, see effects.DatabaseClaims) counts too, since the cache shows a marker a moment
 * after it is written.
 */
public final class DatabaseQueue {

  private DatabaseQueue() {}

  /** The request that must finish (or launch) first, if any; empty means {@code request} may go. */
  public static Optional<MigrationRequest> ahead(
      MigrationRequest request, Collection<MigrationRequest> all, Optional<RequestKey> claimant) {
    String database = database(request);
    RequestKey me = RequestKey.of(request);
    // Status first, the database second: reading a URL's database takes the JDBC driver's parser,
    // and at every launch each request in the cache is looked at, most of them neither running
    // nor queued.
    return all.stream()
        .filter(other -> !RequestKey.of(other).equals(me))
        .filter(other -> isRunning(other)
            || (claimant.equals(Optional.of(RequestKey.of(other))) && !Statuses.isFinal(other.getStatus()))
            || approvedEarlierAndWaiting(other, request))
        .filter(other -> hasDatabase(other) && database(other).equals(database))
        .min(Comparator.comparing(other -> isRunning(other) ? 0 : 1));
  }

  /** A written status that frees its database: the run ended, or its launch marker was withdrawn. */
  public static boolean frees(MigrationRequestStatus written) {
    return written == null || written.job == null || Statuses.isFinal(written);
  }

  /** The approved requests waiting in {@code database}'s line. */
  public static List<MigrationRequest> queuedOn(String database, Collection<MigrationRequest> all) {
    return all.stream()
        .filter(r -> r.getStatus() != null && r.getStatus().phase == Phase.Queued)
        .filter(r -> hasDatabase(r) && database(r).equals(database))
        .toList();
  }

  /** A request with neither a target nor a URL never launches (SpecValidator), so it never holds a database. */
  public static boolean hasDatabase(MigrationRequest r) {
    return r.getSpec() != null && (r.getSpec().migrationTargetName != null
        || r.getSpec().database != null && r.getSpec().database.url != null);
  }

  /**
   * The database a request runs on: a target by its name, which the platform owns, never by how its
   * URL is spelled; an inline database by its normalized URL. The two kinds of key never meet.
   */
  public static String database(MigrationRequest request) {
    return RunPlacement.namesTarget(request) ? "migrationtarget:" + request.getSpec().migrationTargetName
        : DatabaseUrls.normalize(request.getSpec().database.url);
  }

  private static boolean refusedByTheApiServer(MigrationRequest r) {
    return r.getStatus().queue != null && r.getStatus().queue.jobRefusedAt != null;
  }

  public static boolean isRunning(MigrationRequest r) {
    return r.getStatus() != null && r.getStatus().job != null && !Statuses.isFinal(r.getStatus());
  }

  /**
   * A request whose Job the API server refused does not hold its place in line: it may be refused
   * for hours (a full quota), and the database is free meanwhile.
   */
  private static boolean approvedEarlierAndWaiting(MigrationRequest other, MigrationRequest me) {
    if (other.getStatus() == null || other.getStatus().phase != Phase.Queued
        || other.getStatus().approval == null || refusedByTheApiServer(other)) {
      return false;
    }
    if (me.getStatus() == null || me.getStatus().approval == null) {
      return true;
    }
    int byTime = other.getStatus().approval.recordedAt.compareTo(me.getStatus().approval.recordedAt);
    return byTime < 0 || (byTime == 0 && RequestKey.of(other).compareTo(RequestKey.of(me)) < 0);
  }
}
