package io.migrationgate.operator.effects;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.operator.lifecycle.DatabaseQueue;
import io.migrationgate.operator.lifecycle.RequestKey;
import io.migrationgate.operator.lifecycle.Statuses;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The operator's hold on a database between writing a launch marker and the cache showing it
 * ({@link DatabaseQueue} decides whose turn it is). Decisions about one database are made under its
 * lock: {@link #claim} takes it and returns a {@link Claim}; a launch writes its marker and
 * {@linkplain Claim#hold holds} the database before the claim closes, so two requests reconciled on
 * different threads can never both launch. A written status that shows the run over or withdrawn
 * lets the database go ({@link #settled}), and wakes the requests queued on it at once rather than
 * at their next recheck.
 */
public final class DatabaseClaims {

  private final Map<String, ReentrantLock> locks = new HashMap<>();
  private final Map<String, RequestKey> holders = new HashMap<>();

  /** Takes {@code request}'s database's lock for one decision; it opens when the claim closes. */
  public Claim claim(MigrationRequest request) {
    ReentrantLock lock;
    synchronized (this) {
      lock = locks.computeIfAbsent(DatabaseQueue.database(request), k -> new ReentrantLock());
    }
    lock.lock();
    return new Claim(lock);
  }

  /** The request that must finish (or launch) first, if any; empty means {@code request} may go. */
  public synchronized Optional<MigrationRequest> ahead(MigrationRequest request, Collection<MigrationRequest> all) {
    return DatabaseQueue.ahead(request, all, Optional.ofNullable(holders.get(DatabaseQueue.database(request))));
  }

  /**
   * After a status write: a request that ended, or withdrew its launch marker, frees its database.
   * When {@code before} held it, the requests queued on it are returned, to be woken.
   */
  public List<ResourceID> settled(MigrationRequest before, MigrationRequest written, Collection<MigrationRequest> all) {
    if (!DatabaseQueue.frees(written.getStatus())) {
      return List.of();
    }
    boolean held = release(written) || DatabaseQueue.isRunning(before);
    return held ? queuedBehind(written, all) : List.of();
  }

  /** The request is going away: whatever it held is free, and a place it had in line is open. */
  public List<ResourceID> forget(MigrationRequest request, Collection<MigrationRequest> all) {
    release(request);
    return Statuses.isFinal(request.getStatus()) ? List.of() : queuedBehind(request, all);
  }

  private static List<ResourceID> queuedBehind(MigrationRequest request, Collection<MigrationRequest> all) {
    if (!DatabaseQueue.hasDatabase(request)) {
      return List.of();
    }
    return DatabaseQueue.queuedOn(DatabaseQueue.database(request), all).stream()
        .filter(other -> !RequestKey.of(other).equals(RequestKey.of(request)))
        .map(ResourceID::fromResource)
        .toList();
  }

  private synchronized boolean release(MigrationRequest request) {
    return DatabaseQueue.hasDatabase(request)
        && holders.remove(DatabaseQueue.database(request), RequestKey.of(request));
  }

  private synchronized void hold(MigrationRequest marked) {
    holders.put(DatabaseQueue.database(marked), RequestKey.of(marked));
  }

  /** One decision's hold on a database's lock. */
  public final class Claim implements AutoCloseable {
    private final ReentrantLock lock;

    private Claim(ReentrantLock lock) {
      this.lock = lock;
    }

    /** {@code marked}'s launch marker is written: the database is its own until it settles. */
    public void hold(MigrationRequest marked) {
      DatabaseClaims.this.hold(marked);
    }

    @Override
    public void close() {
      lock.unlock();
    }
  }
}
