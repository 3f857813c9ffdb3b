package io.migrationgate.localcluster.faults;

import java.util.Collection;
import java.util.Set;

/**
 * Which requests a crash caught inside a launch, read from the API server right after the kill:
 * the launch marker written but no Job yet, or the Job created but its uid not yet in status.
 */
public final class LaunchWindows {

  private LaunchWindows() {}

  /** A request's launch as status shows it: {@code markerJob} is status.job.name, {@code jobUid} status.job.uid. */
  public record Launch(String namespace, String markerJob, String jobUid) {}

  public record Hits(int markerToCreate, int createToUid) {
    public Hits plus(Hits other) {
      return new Hits(markerToCreate + other.markerToCreate, createToUid + other.createToUid);
    }

    public boolean any() {
      return markerToCreate + createToUid > 0;
    }
  }

  /** {@code jobs}: "namespace/name" of every Job that exists. */
  public static Hits caught(Collection<Launch> launches, Set<String> jobs) {
    int marker = 0;
    int uid = 0;
    for (Launch launch : launches) {
      if (launch.markerJob() == null || launch.jobUid() != null) {
        continue;
      }
      if (jobs.contains(launch.namespace() + "/" + launch.markerJob())) {
        uid++;
      } else {
        marker++;
      }
    }
    return new Hits(marker, uid);
  }
}
