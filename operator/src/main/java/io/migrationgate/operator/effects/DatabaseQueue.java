package io.migrationgate.operator.effects;

import io.migrationgate.operator.lifecycle.DatabaseUrls;
import io.migrationgate.operator.lifecycle.StatusConditions;
import io.migrationgate.operator.lifecycle.Statuses;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.operator.lifecycle.Action.LaunchJob;
import io.migrationgate.operator.lifecycle.Step;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One running migration per database across the cluster. A request may launch when no other
 * request on the same database is running or launching, and no request approved before it is
 * still waiting (first approved, first served).
 *
 * <p>The launch marker in status is what makes a request count as running, but the informer cache
 * sees it a moment after it is written; an in-memory claim covers that moment, so two requests
 * reconciled on different threads can never both launch. The whole protocol (lock, decide, write
 * the marker, claim; release once a written status shows the run over or withdrawn) is here,
 * behind {@link #decide} and {@link #settled}.
 */
public final class DatabaseQueue {

  /** A decision and the request as it stands after it: with its launch marker written when it launches. */
  public record Turn(Step step, MigrationRequest request) {}

  private final Map<String, ReentrantLock> locks = new HashMap<>();
  private final Map<String, ResourceID> claims = new HashMap<>();

  /**
   * Decides under the database's lock. When the decision is a launch, {@code writeMarker} writes
   * the status (approval latch and launch marker) and the database is this request's before the
   * lock opens, so no other request on it can launch meanwhile.
   */
  public Turn decide(MigrationRequest request, Supplier<Step> decision, Function<Step, MigrationRequest> writeMarker) {
    return exclusively(request, () -> {
      Step step = decision.get();
      if (!(step.action() instanceof LaunchJob)) {
        return new Turn(step, request);
      }
      MigrationRequest marked = writeMarker.apply(step);
      claim(marked);
      return new Turn(step, marked);
    });
  }

  /** After a status write: a request that ended, or withdrew its launch marker, frees its database. */
  public void settled(MigrationRequest written) {
    MigrationRequestStatus status = written.getStatus();
    if (status == null || status.job == null || Statuses.isFinal(written.getStatus())) {
      release(written);
    }
  }

  /** The request is going away: whatever it held is free. */
  public void forget(MigrationRequest request) {
    release(request);
  }

  private <T> T exclusively(MigrationRequest request, Supplier<T> section) {
    ReentrantLock lock;
    synchronized (this) {
      lock = locks.computeIfAbsent(key(request), k -> new ReentrantLock());
    }
    lock.lock();
    try {
      return section.get();
    } finally {
      lock.unlock();
    }
  }

  /** The request that must finish (or launch) first, if any; empty means {@code request} may go. */
  public synchronized Optional<MigrationRequest> ahead(
      MigrationRequest request, Collection<MigrationRequest> all) {
    String database = key(request);
    ResourceID me = ResourceID.fromResource(request);
    ResourceID claimant = claims.get(database);
    // Status first, the database second: reading a URL's database takes the JDBC driver's parser,
    // and at every launch each request in the cache is looked at, most of them neither running
    // nor queued.
    return all.stream()
        .filter(other -> !ResourceID.fromResource(other).equals(me))
        .filter(other -> isRunning(other)
            || (ResourceID.fromResource(other).equals(claimant) && !Statuses.isFinal(other.getStatus()))
            || approvedEarlierAndWaiting(other, request))
        .filter(other -> hasDatabase(other) && key(other).equals(database))
        .min(Comparator.comparing(other -> isRunning(other) ? 0 : 1));
  }

  private synchronized void claim(MigrationRequest request) {
    claims.put(key(request), ResourceID.fromResource(request));
  }

  private synchronized void release(MigrationRequest request) {
    if (!hasDatabase(request)) {
      return;
    }
    claims.remove(key(request), ResourceID.fromResource(request));
  }

  /** A request without a URL never launches (SpecValidator), so it never holds a database. */
  private static boolean hasDatabase(MigrationRequest r) {
    return r.getSpec() != null && r.getSpec().database != null && r.getSpec().database.url != null;
  }

  private static String key(MigrationRequest request) {
    return DatabaseUrls.normalize(request.getSpec().database.url);
  }

  private static boolean refusedByTheApiServer(MigrationRequest r) {
    return StatusConditions.ready(r.getStatus()).map(c -> Reason.JOB_CREATE_REFUSED.equals(c.getReason())).orElse(false);
  }

  private static boolean isRunning(MigrationRequest r) {
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
    return byTime < 0 || (byTime == 0 && ResourceID.fromResource(other).toString()
        .compareTo(ResourceID.fromResource(me).toString()) < 0);
  }
}
