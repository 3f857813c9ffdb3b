package io.migrationgate.localcluster.faults;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which requests a crash caught inside a launch, read from the API server right after the kill:
 * the launch marker written but no Job yet, or the Job created but its uid not yet in status. The
 * same two windows for a run Job (status.job.name and uid) and for a plan Job (status.plan.check.job
 * and jobUid); the caller reads each from status.
 */
public final class LaunchWindows {

  private LaunchWindows() {}

  /** A request's launch as status shows it: the Job's name it recorded ({@code markerJob}) and its uid. */
  public record Launch(String namespace, String markerJob, String jobUid) {
    String job() {
      return namespace + "/" + markerJob;
    }
  }

  /**
   * The Jobs ("namespace/name") of the launches caught in each window. Kept as names, so that a
   * launch still in its window at the next kill (no leader came in between) counts once.
   */
  public record Caught(Set<String> markerToCreate, Set<String> createToUid) {
    public Caught plus(Caught other) {
      return new Caught(union(markerToCreate, other.markerToCreate), union(createToUid, other.createToUid));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
      Set<String> all = new TreeSet<>(a);
      all.addAll(b);
      return Set.copyOf(all);
    }

    public Hits hits() {
      return new Hits(markerToCreate.size(), createToUid.size());
    }
  }

  public record Hits(int markerToCreate, int createToUid) {
    public boolean any() {
      return markerToCreate + createToUid > 0;
    }
  }

  /** {@code jobs}: "namespace/name" of every Job that exists. */
  public static Caught caught(Collection<Launch> launches, Set<String> jobs) {
    Set<String> marker = new TreeSet<>();
    Set<String> uid = new TreeSet<>();
    for (Launch launch : launches) {
      if (launch.markerJob() == null || launch.jobUid() != null) {
        continue;
      }
      (jobs.contains(launch.job()) ? uid : marker).add(launch.job());
    }
    return new Caught(Set.copyOf(marker), Set.copyOf(uid));
  }
}
