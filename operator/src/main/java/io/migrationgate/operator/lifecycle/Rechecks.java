package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a request looks again without an event. Sources and databases are not watched (watching
 * every ConfigMap would cost memory in big clusters): a request waiting on them looks again after
 * the recheck interval; a plan waiting to be tried again looks at its retry time, when that comes
 * first. A launched run looks again when its start timeout ends ({@link RunStart}), since a pod
 * that never starts sends no event. Every other request waits for an event about it.
 */
public final class Rechecks {

  /** A retry is looked at this long after its time, so that the time has surely come. */
  private static final Duration PAST_THE_RETRY = Duration.ofMillis(100);

  private Rechecks() {}

  public static Optional<Duration> after(MigrationRequestStatus status, Instant now, Duration recheckInterval) {
    return after(status, now, recheckInterval, RunStart.DEFAULT_TIMEOUT);
  }

  public static Optional<Duration> after(MigrationRequestStatus status, Instant now, Duration recheckInterval,
      Duration runStartTimeout) {
    if (status.phase == Phase.Running && status.job != null && status.job.launchedAt != null) {
      // Once past it, the run either started or gave its turn back; a pod the cache showed late brings an event.
      Duration untilTimeout = Duration.between(now, Instant.parse(status.job.launchedAt).plus(runStartTimeout))
          .plus(PAST_THE_RETRY);
      return untilTimeout.isNegative() ? Optional.empty() : Optional.of(untilTimeout);
    }
    if (status.phase != Phase.Pending && status.phase != Phase.Queued) {
      return Optional.empty();
    }
    return Optional.of(Statuses.planCheck(status).map(check -> check.retryAt)
        .map(at -> Duration.between(now, Instant.parse(at)).plus(PAST_THE_RETRY))
        .filter(untilRetry -> untilRetry.compareTo(recheckInterval) < 0)
        .map(untilRetry -> untilRetry.isNegative() ? Duration.ZERO : untilRetry)
        .orElse(recheckInterval));
  }
}
