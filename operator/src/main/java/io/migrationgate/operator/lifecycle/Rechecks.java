package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * When a request looks again without an event. Sources and databases are not watched (watching
 * every ConfigMap would cost memory in big clusters): a request waiting on them looks again after
 * the recheck interval; a plan waiting to be tried again looks at its retry time, a request waiting
 * for its maintenance window when the window opens, and an approval that can expire when it does,
 * when that comes first. A launched run looks again when its start timeout ends ({@link RunStart}),
 * since a pod that never starts sends no event. Every other request waits for an event about it.
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
    Optional<Instant> expiry = ApprovalExpiry.expiresAt(status)
        .filter(at -> status.job == null && !Statuses.isFinal(status));
    if (status.phase != Phase.Pending && status.phase != Phase.Queued && expiry.isEmpty()) {
      return Optional.empty();
    }
    // The first of: a plan retry, a maintenance window opening, the approval expiring.
    return Optional.of(Stream.of(
            Statuses.planCheck(status).map(check -> check.retryAt).map(Instant::parse),
            Optional.ofNullable(status.queue).map(queue -> queue.windowOpensAt).map(Instant::parse),
            expiry)
        .flatMap(Optional::stream)
        .map(at -> Duration.between(now, at).plus(PAST_THE_RETRY))
        .filter(until -> until.compareTo(recheckInterval) < 0)
        .map(until -> until.isNegative() ? Duration.ZERO : until)
        .min(Comparator.naturalOrder())
        .orElse(recheckInterval));
  }
}
