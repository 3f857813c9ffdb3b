package io.migrationgate.operator.effects;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.operator.lifecycle.DatabaseQueue;
import io.migrationgate.operator.lifecycle.PlanJobLine;
import io.migrationgate.operator.lifecycle.RequestKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The operator's hold on plan Job slots ({@link PlanJobLine} decides who may start one). A plan's
 * launch marker is written under this object's lock: {@link #claim} takes it and says whether the
 * request may still start a plan Job, and the claim {@linkplain Claim#hold holds} a slot for the
 * marker before the lock opens, so two requests never take the last slot and the moment before the
 * cache shows the marker is covered. A freed slot wakes the requests that may start now.
 */
public final class PlanJobSlots {

  private final PlanJobLine line;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<RequestKey, String> claims = new HashMap<>();

  public PlanJobSlots(int perDatabase, int total) {
    this.line = new PlanJobLine(perDatabase, total);
  }

  /** Why {@code request} must wait before it starts a plan Job; empty when it may start one now. */
  public Optional<String> waitReason(MigrationRequest request, Collection<MigrationRequest> all) {
    return locked(() -> line.waitReason(request, all, claims));
  }

  /** Takes the line's lock for one plan launch; it opens when the claim closes. */
  public Claim claim(MigrationRequest request, Collection<MigrationRequest> all) {
    lock.lock();
    try {
      return new Claim(line.place(request, all, claims).mayStart());
    } catch (RuntimeException e) {
      lock.unlock();
      throw e;
    }
  }

  /**
   * After a status write: when {@code before} held a slot and {@code written} does not, the slot is
   * free, and the requests that may now start a plan Job are returned, to be woken at once rather
   * than at their next recheck.
   */
  public List<ResourceID> settled(MigrationRequest before, MigrationRequest written, Collection<MigrationRequest> all) {
    return locked(() -> {
      boolean claimed = claims.containsKey(RequestKey.of(written));
      if (PlanJobLine.holdsSlot(written) || !(claimed || PlanJobLine.holdsSlot(before))) {
        return List.of();
      }
      claims.remove(RequestKey.of(written));
      return startable(all);
    });
  }

  /** The request is going away: a slot it held is free. */
  public List<ResourceID> forget(MigrationRequest request, Collection<MigrationRequest> all) {
    return locked(() -> {
      boolean held = claims.remove(RequestKey.of(request)) != null || PlanJobLine.holdsSlot(request);
      return held ? startable(all) : List.of();
    });
  }

  private List<ResourceID> startable(Collection<MigrationRequest> all) {
    return line.startable(all, claims).stream().map(key -> new ResourceID(key.name(), key.namespace())).toList();
  }

  private <T> T locked(Supplier<T> section) {
    lock.lock();
    try {
      return section.get();
    } finally {
      lock.unlock();
    }
  }

  /** One plan launch's hold on the line's lock. */
  public final class Claim implements AutoCloseable {
    private final boolean mayStart;

    private Claim(boolean mayStart) {
      this.mayStart = mayStart;
    }

    /** Whether the request may start a plan Job now; without a slot it writes no marker. */
    public boolean mayStart() {
      return mayStart;
    }

    /** {@code written}'s plan launch marker is written: it holds a slot until its report is kept. */
    public void hold(MigrationRequest written) {
      claims.put(RequestKey.of(written), DatabaseQueue.database(written));
    }

    @Override
    public void close() {
      lock.unlock();
    }
  }
}
