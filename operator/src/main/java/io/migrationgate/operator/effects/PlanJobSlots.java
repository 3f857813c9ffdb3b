package io.migrationgate.operator.effects;

import io.migrationgate.operator.lifecycle.DatabaseUrls;
import io.migrationgate.operator.lifecycle.Statuses;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.Phase;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * How many read-only plan Jobs run at once: at most {@code perDatabase} on one database and
 * {@code total} in the cluster. Each plan Job is a pod, a JVM and a database connection; a GitOps
 * sync that creates 200 requests must not start 200 of them.
 *
 * <p>Requests that wait form one line, fair across namespaces: each namespace's oldest waiting
 * request comes first, then each one's second oldest, and so on, so one team's burst never starves
 * another team's single request. A request whose database is at its limit does not hold back those
 * behind it on other databases.
 *
 * <p>A request holds a slot from its plan's launch marker (written before the Job is created) until
 * its plan Job's report is kept; the marker is what counts, read from the request cache. The marker
 * is written under this object's lock ({@link #take}), so two requests never take the last slot,
 * and a claim covers the moment before the cache shows it.
 */
public final class PlanJobSlots {

  /** Where a request stands in the line. */
  record Place(boolean mayStart, int position, int waiting, int onDatabase, int inAll) {}

  private final int perDatabase;
  private final int total;
  private final Map<ResourceID, String> claims = new HashMap<>();

  public PlanJobSlots(int perDatabase, int total) {
    this.perDatabase = perDatabase;
    this.total = total;
  }

  /** Why {@code request} must wait before it starts a plan Job; empty when it may start one now. */
  public synchronized Optional<String> waitReason(MigrationRequest request, Collection<MigrationRequest> all) {
    Place place = place(request, all);
    if (place.mayStart()) {
      return Optional.empty();
    }
    return Optional.of("waiting for a plan Job slot: " + place.position() + " of " + place.waiting()
        + " in line; plan Jobs running on this database: " + place.onDatabase() + " (at most " + perDatabase
        + "), in the cluster: " + place.inAll() + " (at most " + total + "). It starts when one ends");
  }

  /**
   * Writes the plan's launch marker ({@code writeMarker}) if {@code request} may still start a plan
   * Job, and holds the slot for it: the request as written, or empty when it must wait after all.
   */
  public synchronized Optional<MigrationRequest> take(
      MigrationRequest request, Collection<MigrationRequest> all, Supplier<MigrationRequest> writeMarker) {
    if (!place(request, all).mayStart()) {
      return Optional.empty();
    }
    MigrationRequest written = writeMarker.get();
    claims.put(ResourceID.fromResource(written), database(written));
    return Optional.of(written);
  }

  /**
   * After a status write: when {@code before} held a slot and {@code written} does not, the slot is
   * free, and the requests that may now start a plan Job are returned, to be woken at once rather
   * than at their next recheck.
   */
  public synchronized List<ResourceID> settled(
      MigrationRequest before, MigrationRequest written, Collection<MigrationRequest> all) {
    boolean claimed = claims.containsKey(ResourceID.fromResource(written));
    if (holdsSlot(written) || !(claimed || holdsSlot(before))) {
      return List.of();
    }
    claims.remove(ResourceID.fromResource(written));
    return startable(all);
  }

  /** The request is going away: a slot it held is free. */
  public synchronized List<ResourceID> forget(MigrationRequest request, Collection<MigrationRequest> all) {
    boolean held = claims.remove(ResourceID.fromResource(request)) != null || holdsSlot(request);
    return held ? startable(all) : List.of();
  }

  private List<ResourceID> startable(Collection<MigrationRequest> all) {
    Line line = line(all, null);
    return line.order().stream().map(ResourceID::fromResource).filter(line.fits()::contains).toList();
  }

  Place place(MigrationRequest me, Collection<MigrationRequest> all) {
    Line line = line(all, me);
    ResourceID self = ResourceID.fromResource(me);
    int position = 1 + line.order().indexOf(me);
    return new Place(line.fits().contains(self), position, line.order().size(),
        line.onDatabase().getOrDefault(database(me), 0), line.inAll());
  }

  /**
   * The waiting requests in line order, those among them that a free slot is left for, and the
   * plan Jobs that hold slots now, per database and in all.
   */
  private record Line(List<MigrationRequest> order, Set<ResourceID> fits, Map<String, Integer> onDatabase, int inAll) {}

  /** The line as the cache shows it, with {@code me} (when given) in it even if the cache does not show it waiting yet. */
  private Line line(Collection<MigrationRequest> all, MigrationRequest me) {
    ResourceID self = me == null ? null : ResourceID.fromResource(me);
    Map<ResourceID, String> holders = new HashMap<>(claims);
    List<MigrationRequest> waiting = new ArrayList<>();
    for (MigrationRequest r : all) {
      ResourceID id = ResourceID.fromResource(r);
      if (id.equals(self)) {
        continue;
      }
      if (holdsSlot(r)) {
        holders.put(id, database(r));
      } else if (waitsForSlot(r)) {
        waiting.add(r);
      }
    }
    if (me != null) {
      holders.remove(self);
      waiting.add(me);
    }
    Map<String, Integer> onDatabase = new HashMap<>();
    holders.values().forEach(db -> onDatabase.merge(db, 1, Integer::sum));
    List<MigrationRequest> order = fairOrder(waiting);
    int free = total - holders.size();
    Map<String, Integer> taken = new HashMap<>(onDatabase);
    Set<ResourceID> fits = new HashSet<>();
    for (MigrationRequest r : order) {
      String db = database(r);
      if (free > 0 && taken.getOrDefault(db, 0) < perDatabase) {
        free--;
        taken.merge(db, 1, Integer::sum);
        fits.add(ResourceID.fromResource(r));
      }
    }
    return new Line(order, fits, onDatabase, holders.size());
  }

  /**
   * Each namespace's waiting requests, oldest first, are dealt out in turns: the first of every
   * namespace, then the second of every namespace, and so on.
   */
  static List<MigrationRequest> fairOrder(List<MigrationRequest> waiting) {
    Comparator<MigrationRequest> byAge = Comparator
        .comparing((MigrationRequest r) -> String.valueOf(r.getMetadata().getCreationTimestamp()))
        .thenComparing(r -> r.getMetadata().getNamespace())
        .thenComparing(r -> r.getMetadata().getName());
    Map<String, List<MigrationRequest>> byNamespace = new HashMap<>();
    waiting.forEach(r -> byNamespace.computeIfAbsent(r.getMetadata().getNamespace(), k -> new ArrayList<>()).add(r));
    Map<ResourceID, Integer> turn = new HashMap<>();
    byNamespace.values().forEach(queue -> {
      queue.sort(byAge);
      for (int i = 0; i < queue.size(); i++) {
        turn.put(ResourceID.fromResource(queue.get(i)), i);
      }
    });
    List<MigrationRequest> line = new ArrayList<>(waiting);
    line.sort(Comparator.comparing((MigrationRequest r) -> turn.get(ResourceID.fromResource(r))).thenComparing(byAge));
    return line;
  }

  /** Its plan's launch marker is written and its plan Job's report not yet kept. */
  public static boolean holdsSlot(MigrationRequest r) {
    DatabaseCheck check = databaseCheck(r);
    return check != null && check.job != null && check.evidence == null;
  }

  /** Its plan needs a Job and has none yet: a first attempt, or the next after a transient failure. */
  public static boolean waitsForSlot(MigrationRequest r) {
    DatabaseCheck check = databaseCheck(r);
    return check != null && check.job == null && check.checkedAt == null;
  }

  /** The database check of a request still being planned; null for any other. */
  private static DatabaseCheck databaseCheck(MigrationRequest r) {
    if (r.getStatus() == null || r.getStatus().phase != Phase.Pending) {
      return null;
    }
    return Statuses.planCheck(r.getStatus()).filter(check -> DatabaseCheck.DATABASE.equals(check.mode)).orElse(null);
  }

  private static String database(MigrationRequest r) {
    return DatabaseUrls.normalize(r.getSpec().database.url);
  }
}
