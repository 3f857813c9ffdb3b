package io.migrationgate.operator.runtime;

import io.migrationgate.operator.Requests;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.migrationgate.api.v1alpha1.ApprovalStatus;
import io.migrationgate.api.v1alpha1.Conditions;
import io.migrationgate.api.v1alpha1.JobStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.api.v1alpha1.PlanStatus;
import io.migrationgate.api.v1alpha1.PlannedDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The domain metrics as Prometheus scrapes them, fed with statuses as the reconciler writes them. */
class RequestMetricsTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RequestMetrics metrics = new RequestMetrics(registry, Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC));

  static MigrationRequestStatus status(Phase phase, String reason) {
    MigrationRequestStatus status = new MigrationRequestStatus();
    status.phase = phase;
    status.plan = new PlanStatus();
    status.plan.digest = "sha256:" + "a".repeat(64);
    status.plan.recordedAt = T0.toString();
    status.plan.database = new PlannedDatabase();
    status.plan.database.address = "orders-db:5432/orders";
    status.conditions = List.of(new ConditionBuilder().withType(Conditions.READY).withReason(reason).build());
    return status;
  }

  static MigrationRequestStatus approved(Phase phase, String reason, int afterSeconds) {
    MigrationRequestStatus status = status(phase, reason);
    status.approval = new ApprovalStatus();
    status.approval.recordedAt = T0.plusSeconds(afterSeconds).toString();
    return status;
  }

  private String scrape() {
    return registry.scrape();
  }

  @Test
  void requestsAreCountedByPhaseAndTheOldestAwaitingApprovalIsShown() {
    metrics.recorded(Requests.request("team", "a"), null, status(Phase.AwaitingApproval, "AwaitingApproval"), T0.plusSeconds(600));
    metrics.recorded(Requests.request("team", "b"), null, status(Phase.Pending, "SourceNotFound"), T0.plusSeconds(600));

    assertThat(scrape()).contains("migrationgate_requests{phase=\"AwaitingApproval\"} 1.0",
        "migrationgate_requests{phase=\"Pending\"} 1.0", "migrationgate_requests{phase=\"Running\"} 0.0",
        "migrationgate_oldest_awaiting_approval_seconds 600.0");

    metrics.forgotten(Requests.request("team", "a"));
    assertThat(scrape()).contains("migrationgate_requests{phase=\"AwaitingApproval\"} 0.0",
        "migrationgate_oldest_awaiting_approval_seconds 0.0");
  }

  @Test
  void requestsAwaitingApprovalAreCountedByTheirPlansRisk() {
    MigrationRequestStatus destructive = status(Phase.AwaitingApproval, "AwaitingApproval");
    destructive.plan.risk = new io.migrationgate.api.v1alpha1.PlanRisk();
    destructive.plan.risk.level = "destructive";
    metrics.recorded(Requests.request("team", "a"), null, destructive, T0.plusSeconds(600));
    metrics.recorded(Requests.request("team", "b"), null, status(Phase.AwaitingApproval, "AwaitingApproval"), T0.plusSeconds(600));
    MigrationRequestStatus running = status(Phase.Running, "JobRunning");
    running.plan.risk = destructive.plan.risk;
    metrics.recorded(Requests.request("team", "c"), null, running, T0.plusSeconds(600));

    assertThat(scrape()).contains("migrationgate_awaiting_approval_by_risk{risk=\"destructive\"} 1.0",
        "migrationgate_awaiting_approval_by_risk{risk=\"unreviewed\"} 1.0",
        "migrationgate_awaiting_approval_by_risk{risk=\"high\"} 0.0",
        "migrationgate_awaiting_approval_by_risk{risk=\"none\"} 0.0");
  }

  @Test
  void theWaitForApprovalAndForTheJobAreMeasuredOnce() {
    MigrationRequest r = Requests.request("team", "a");
    MigrationRequestStatus waiting = status(Phase.AwaitingApproval, "AwaitingApproval");
    MigrationRequestStatus latched = approved(Phase.Running, "JobCreated", 120);
    MigrationRequestStatus running = approved(Phase.Running, "JobRunning", 120);
    running.job = new JobStatus();
    running.job.uid = "job-uid";
    running.job.createdAt = T0.plusSeconds(125).toString();

    metrics.recorded(r, waiting, latched, T0.plusSeconds(600));
    metrics.recorded(r, latched, running, T0.plusSeconds(600));
    metrics.recorded(r, running, running, T0.plusSeconds(600));

    assertThat(scrape()).contains("migrationgate_plan_to_approval_seconds_count 1",
        "migrationgate_plan_to_approval_seconds_sum 120.0",
        "migrationgate_approval_to_job_seconds_count 1", "migrationgate_approval_to_job_seconds_sum 5.0");
  }

  @Test
  void finishedRunsAreCountedByReasonWithTheirDuration() {
    MigrationRequest r = Requests.request("team", "a");
    MigrationRequestStatus running = approved(Phase.Running, "JobRunning", 60);
    MigrationRequestStatus failed = approved(Phase.Failed, "MigrationFailed", 60);
    failed.job = new JobStatus();
    failed.job.uid = "job-uid";
    failed.job.startedAt = T0.plusSeconds(70).toString();
    failed.job.finishedAt = T0.plusSeconds(100).toString();

    metrics.recorded(r, running, failed, T0.plusSeconds(600));
    metrics.recorded(r, failed, failed, T0.plusSeconds(600));

    assertThat(scrape()).contains(
        "migrationgate_requests_finished_total{phase=\"Failed\",reason=\"MigrationFailed\"} 1.0",
        "migrationgate_run_duration_seconds_count{reason=\"MigrationFailed\"} 1",
        "migrationgate_run_duration_seconds_sum{reason=\"MigrationFailed\"} 30.0");
  }

  @Test
  void theQueuePerDatabaseCountsApprovedRequestsWaitingForIt() {
    metrics.recorded(Requests.request("team", "a"), null, approved(Phase.Queued, "WaitingForDatabase", 1), T0.plusSeconds(600));
    metrics.recorded(Requests.request("team", "b"), null, approved(Phase.Queued, "WaitingForDatabase", 2), T0.plusSeconds(600));
    metrics.recorded(Requests.request("team", "c"), null, approved(Phase.Running, "JobRunning", 0), T0.plusSeconds(600));

    // printf %s orders-db:5432/orders | sha256sum | cut -c1-12
    assertThat(scrape()).contains("migrationgate_database_queue_length{database=\"3b04c4e46282\"} 2.0")
        .doesNotContain("orders-db");

    metrics.recorded(Requests.request("team", "a"), null, approved(Phase.Running, "JobRunning", 1), T0.plusSeconds(600));
    metrics.recorded(Requests.request("team", "b"), null, approved(Phase.Running, "JobRunning", 2), T0.plusSeconds(600));
    assertThat(scrape()).doesNotContain("migrationgate_database_queue_length{");
  }
}
