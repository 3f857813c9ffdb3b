package io.migrationgate.operator.runtime;

import io.migrationgate.operator.lifecycle.StatusConditions;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.migrationgate.contract.RiskLevel;
import io.migrationgate.contract.ScriptsDigest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.operator.effects.StatusRecorder;
import io.migrationgate.operator.lifecycle.Statuses;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The domain's numbers on /metrics (docs/operations.md#metrics): how many requests stand in each
 * phase, how many await approval at each risk level, how long plans wait for approval and approvals
 * for their Job, how runs end, the oldest request awaiting approval (for an alert) and the queue per
 * database. Fed with each status the
 * StatusRecorder writes, so it costs no API call; after a restart the first reconcile of every request
 * fills it again.
 */
public final class RequestMetrics implements StatusRecorder.Listener {

  static final String PREFIX = "migrationgate_";
  private static final double[] SLO_SECONDS = {1, 5, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 7 * 24 * 3600};

  /** What the gauges are computed from: each request's phase, plan time, database and plan's risk level. */
  private record Standing(Phase phase, Instant planned, String database, String risk) {}

  /** The risk label of a plan the plan Job did not review (scripts-only, or an older runner). */
  static final String UNREVIEWED = "unreviewed";

  private final Map<ResourceID, Standing> requests = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final Clock clock;
  private final MultiGauge queues;
  private final DistributionSummary planToApproval;
  private final DistributionSummary approvalToJob;

  public RequestMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    for (Phase phase : Phase.values()) {
      Gauge.builder(PREFIX + "requests", requests, r -> r.values().stream().filter(s -> s.phase() == phase).count())
          .description("MigrationRequests by phase")
          .tag("phase", phase.name())
          .register(registry);
    }
    List<String> risks = new ArrayList<>(Arrays.stream(RiskLevel.values()).map(RiskLevel::word).toList());
    risks.add(UNREVIEWED);
    for (String risk : risks) {
      Gauge.builder(PREFIX + "awaiting_approval_by_risk", requests,
              r -> r.values().stream().filter(s -> s.phase() == Phase.AwaitingApproval && risk.equals(s.risk())).count())
          .description("Requests awaiting approval by the risk level of their plan's script review")
          .tag("risk", risk)
          .register(registry);
    }
    Gauge.builder(PREFIX + "oldest_awaiting_approval_seconds", requests, this::oldestAwaitingApproval)
        .description("How long the oldest request awaiting approval has waited since its plan; 0 when none waits")
        .baseUnit("seconds")
        .register(registry);
    queues = MultiGauge.builder(PREFIX + "database_queue_length")
        .description("Approved requests waiting for another run on the same database (database: the first 12 hex"
            + " digits of the SHA-256 of host:port/database)")
        .register(registry);
    planToApproval = DistributionSummary.builder(PREFIX + "plan_to_approval_seconds")
        .description("Time from a complete plan to its latched approval")
        .baseUnit("seconds")
        .serviceLevelObjectives(SLO_SECONDS)
        .register(registry);
    approvalToJob = DistributionSummary.builder(PREFIX + "approval_to_job_seconds")
        .description("Time from a latched approval to the Job's creation")
        .baseUnit("seconds")
        .serviceLevelObjectives(SLO_SECONDS)
        .register(registry);
  }

  /** The status before and after a reconcile: what changed is counted. */
  @Override
  public void recorded(MigrationRequest request, MigrationRequestStatus before, MigrationRequestStatus after,
      Instant at) {
    if (after == null || after.phase == null) {
      return;
    }
    Standing previous = requests.put(ResourceID.fromResource(request), new Standing(after.phase,
        after.plan == null || after.plan.digest == null ? null : instant(after.plan.recordedAt),
        after.plan == null || after.plan.database == null ? "" : Objects.toString(after.plan.database.address, ""),
        after.plan == null || after.plan.risk == null || after.plan.risk.level == null ? UNREVIEWED : after.plan.risk.level));
    MigrationRequestStatus old = before == null ? new MigrationRequestStatus() : before;
    if (old.approval == null && after.approval != null && after.plan != null) {
      seconds(after.plan.recordedAt, after.approval.recordedAt).ifPresent(planToApproval::record);
    }
    boolean jobRecorded = after.job != null && after.job.uid != null;
    if (jobRecorded && (old.job == null || old.job.uid == null) && after.approval != null) {
      seconds(after.approval.recordedAt, after.job.createdAt).ifPresent(approvalToJob::record);
    }
    if (after.phase.isFinal() && !Statuses.isFinal(old)) {
      String reason = readyReason(after);
      Counter.builder(PREFIX + "requests_finished_total")
          .description("Requests that reached a final phase, by phase and reason")
          .tags(Tags.of("phase", after.phase.name(), "reason", reason))
          .register(registry)
          .increment();
      if (after.job != null && after.job.finishedAt != null) {
        String started = after.job.startedAt != null ? after.job.startedAt : after.job.createdAt;
        seconds(started, after.job.finishedAt).ifPresent(s -> DistributionSummary.builder(PREFIX + "run_duration_seconds")
            .description("How long runs took, by outcome reason")
            .baseUnit("seconds")
            .tags(Tags.of("reason", reason))
            .serviceLevelObjectives(SLO_SECONDS)
            .register(registry)
            .record(s));
      }
    }
    // Every reconcile passes here: the queues are counted again only when one of them changed.
    if (after.phase == Phase.Queued || (previous != null && previous.phase() == Phase.Queued)) {
      refreshQueues();
    }
  }

  @Override
  public void forgotten(MigrationRequest request) {
    Standing gone = requests.remove(ResourceID.fromResource(request));
    if (gone != null && gone.phase() == Phase.Queued) {
      refreshQueues();
    }
  }

  private void refreshQueues() {
    Map<String, Long> waiting = requests.values().stream()
        .filter(s -> s.phase() == Phase.Queued)
        .collect(Collectors.groupingBy(Standing::database, Collectors.counting()));
    queues.register(waiting.entrySet().stream()
        .map(e -> MultiGauge.Row.of(Tags.of("database", databaseId(e.getKey())), e.getValue()))
        .toList(), true);
  }

  /**
   * Whoever may scrape the operator is not thereby allowed to learn every tenant's database hosts;
   * an operator of the platform who knows an address computes its id with sha256sum.
   */
  static String databaseId(String address) {
    return ScriptsDigest.ofContent(address).substring(0, 12);
  }

  private double oldestAwaitingApproval(Map<ResourceID, Standing> all) {
    Instant now = clock.instant();
    return all.values().stream()
        .filter(s -> s.phase() == Phase.AwaitingApproval && s.planned() != null)
        .mapToDouble(s -> Duration.between(s.planned(), now).toMillis() / 1000.0)
        .max()
        .orElse(0);
  }

  private static String readyReason(MigrationRequestStatus status) {
    return StatusConditions.ready(status).map(io.fabric8.kubernetes.api.model.Condition::getReason).orElse("Unknown");
  }

  private static java.util.Optional<Double> seconds(String from, String to) {
    Instant start = instant(from);
    Instant end = instant(to);
    return start == null || end == null ? java.util.Optional.empty()
        : java.util.Optional.of(Math.max(0, Duration.between(start, end).toMillis() / 1000.0));
  }

  private static Instant instant(String timestamp) {
    try {
      return timestamp == null ? null : Instant.parse(timestamp);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
