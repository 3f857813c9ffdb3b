package io.migrationgate.operator.lifecycle;

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
 * its plan Job's report is kept; the marker is what counts, read from the request cache, and the
 * operator's claims (see effects.PlanJobSlots) cover the moment before the cache shows a marker.
 */
public final class PlanJobLine {

  /** Where a request stands in the line. */
  public record Place(boolean mayStart, int position, int waiting, int onDatabase, int inAll) {}

  private final int perDatabase;
  private final int total;

  public PlanJobLine(int perDatabase, int total) {
    this.perDatabase = perDatabase;
    this.total = total;
  }

  /**
   * Why {@code request} must wait before it starts a plan Job; empty when it may start one now.
   * {@code claims} are the slots the operator holds for markers the cache may not show yet, by database.
   */
  public Optional<String> waitReason(MigrationRequest request, Collection<MigrationRequest> all, Map<RequestKey, String> claims) {
    Place place = place(request, all, claims);
    if (place.mayStart()) {
      return Optional.empty();
    }
    return Optional.of("waiting for a plan Job slot: " + place.position() + " of " + place.waiting()
        + " in line; plan Jobs running on this database: " + place.onDatabase() + " (at most " + perDatabase
        + "), in the cluster: " + place.inAll() + " (at most " + total + "). It starts when one ends");
  }

  /** The waiting requests that a free slot is left for, in line order. */
  public List<RequestKey> startable(Collection<MigrationRequest> all, Map<RequestKey, String> claims) {
    Line line = line(all, null, claims);
    return line.order().stream().map(RequestKey::of).filter(line.fits()::contains).toList();
  }

  public Place place(MigrationRequest me, Collection<MigrationRequest> all, Map<RequestKey, String> claims) {
    Line line = line(all, me, claims);
    int position = 1 + line.order().indexOf(me);
    return new Place(line.fits().contains(RequestKey.of(me)), position, line.order().size(),
        line.onDatabase().getOrDefault(DatabaseQueue.database(me), 0), line.inAll());
  }

  /**
   * The waiting requests in line order, those among them that a free slot is left for, and the
   * plan Jobs that hold slots now, per database and in all.
   */
  private record Line(List<MigrationRequest> order, Set<RequestKey> fits, Map<String, Integer> onDatabase, int inAll) {}

  /** The line as the cache shows it, with {@code me} (when given) in it even if the cache does not show it waiting yet. */
  private Line line(Collection<MigrationRequest> all, MigrationRequest me, Map<RequestKey, String> claims) {
    RequestKey self = me == null ? null : RequestKey.of(me);
    Map<RequestKey, String> holders = new HashMap<>(claims);
    List<MigrationRequest> waiting = new ArrayList<>();
    for (MigrationRequest r : all) {
      RequestKey key = RequestKey.of(r);
      if (key.equals(self)) {
        continue;
      }
      if (holdsSlot(r)) {
        holders.put(key, DatabaseQueue.database(r));
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
    Set<RequestKey> fits = new HashSet<>();
    for (MigrationRequest r : order) {
      String db = DatabaseQueue.database(r);
      if (free > 0 && taken.getOrDefault(db, 0) < perDatabase) {
        free--;
        taken.merge(db, 1, Integer::sum);
        fits.add(RequestKey.of(r));
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
    Map<RequestKey, Integer> turn = new HashMap<>();
    byNamespace.values().forEach(queue -> {
      queue.sort(byAge);
      for (int i = 0; i < queue.size(); i++) {
        turn.put(RequestKey.of(queue.get(i)), i);
      }
    });
    List<MigrationRequest> line = new ArrayList<>(waiting);
    line.sort(Comparator.comparing((MigrationRequest r) -> turn.get(RequestKey.of(r))).thenComparing(byAge));
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
}
