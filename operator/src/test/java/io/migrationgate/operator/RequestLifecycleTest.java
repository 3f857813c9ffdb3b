package io.migrationgate.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.migrationgate.api.v1alpha1.Annotations;
import io.migrationgate.api.v1alpha1.Conditions;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.operator.RequestLifecycle.Observed;
import io.migrationgate.operator.RequestLifecycle.Step;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lifecycle with plain objects and a fixed clock: no API server, no threads. */
class RequestLifecycleTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Map<String, String> STAGING = Map.of("environment", "staging");

  private RequestLifecycle at(Instant now) {
    return new RequestLifecycle(new ProductionGuard(NamespaceSelector.parse("environment=production")),
        Clock.fixed(now, ZoneOffset.UTC));
  }

  private static MigrationRequest request() {
    MigrationRequest r = Requests.request("staging", "orders");
    r.getMetadata().setUid("uid-1");
    r.getMetadata().setGeneration(1L);
    return r;
  }

  private static Observed observed(MigrationRequest r, Map<String, String> labels, Optional<ConfigMap> source,
      Optional<ConfigMap> snapshot, Optional<Job> job, Optional<MigrationRequest> ahead) {
    return new Observed(r, labels, () -> source, snapshot, job, Optional.<Pod>empty(), () -> ahead);
  }

  private static Observed inStaging(MigrationRequest r) {
    return observed(r, STAGING, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** A request whose launch marker is written: status.job names the Job. */
  private static MigrationRequestStatus launched(MigrationRequest r) {
    MigrationRequestStatus status = new MigrationRequestStatus();
    status.phase = Phase.Running;
    status.job = new io.migrationgate.api.v1alpha1.JobStatus();
    status.job.name = ResourceNames.job(r);
    r.setStatus(status);
    return status;
  }

  /** Runs the lifecycle to where it waits, performing its snapshot side effect as the reconciler would. */
  private Step untilIdle(RequestLifecycle lifecycle, MigrationRequest r) {
    Observed o = observed(r, STAGING, Optional.of(Requests.scripts("staging")), Optional.empty(), Optional.empty(), Optional.empty());
    Step step = lifecycle.next(o);
    if (step.action() instanceof RequestLifecycle.CreateSnapshot create) {
      step = lifecycle.next(o.withSnapshot(create.snapshot()));
    }
    return step;
  }

  private static Condition condition(MigrationRequestStatus s, String type) {
    return s.conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void plannedRequestAwaitsApprovalWithAllSevenConditions() {
    Step step = untilIdle(at(T0), request());
    assertThat(step.status().phase).isEqualTo(Phase.AwaitingApproval);
    assertThat(step.status().conditions).extracting(Condition::getType).containsExactly(
        Conditions.PLANNED, Conditions.APPROVED, Conditions.BLOCKED, Conditions.RUNNING,
        Conditions.SUCCEEDED, Conditions.FAILED, Conditions.READY);
    assertThat(condition(step.status(), Conditions.PLANNED).getStatus()).isEqualTo("True");
    assertThat(condition(step.status(), Conditions.READY).getReason()).isEqualTo(Reason.AWAITING_APPROVAL);
    assertThat(step.status().plan.recordedAt).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(step.status().plan.database.database).as("where the scripts run").isEqualTo("orders");
    assertThat(step.action()).isInstanceOf(RequestLifecycle.None.class);
  }

  @Test
  void planIsSnapshottedBeforeItIsRecorded() {
    MigrationRequest r = request();
    Step step = at(T0).next(observed(r, STAGING, Optional.of(Requests.scripts("staging")), Optional.empty(), Optional.empty(), Optional.empty()));
    var create = (RequestLifecycle.CreateSnapshot) step.action();
    assertThat(create.snapshot().getImmutable()).isTrue();
    assertThat(create.snapshot().getData()).isEqualTo(Requests.SCRIPTS);
    assertThat(create.snapshot().getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("uid-1");
    assertThat(step.status().plan).isNull();
  }

  @Test
  void approvalLatchesAndLaunchesWithTheMarkerInTheSameStatus() {
    MigrationRequest r = request();
    r.setStatus(untilIdle(at(T0), r).status());
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    Step step = at(T0.plusSeconds(60)).next(inStaging(r));
    assertThat(step.action()).isInstanceOf(RequestLifecycle.LaunchJob.class);
    assertThat(step.status().approval.approvedBy).isEqualTo("alice");
    assertThat(step.status().approval.recordedAt).isEqualTo("2026-11-25T10:01:00Z");
    assertThat(step.status().job.name).isEqualTo(ResourceNames.job(r));
    assertThat(step.status().phase).isEqualTo(Phase.Running);
  }

  @Test
  void lastTransitionTimeIsKeptWhenAConditionsStatusDoesNotChange() {
    MigrationRequest r = request();
    r.setStatus(untilIdle(at(T0), r).status());
    Step later = at(T0.plusSeconds(3600)).next(inStaging(r));
    assertThat(later.status().conditions).allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-25T10:00:00Z"));
    assertThat(StatusWriter.same(r.getStatus(), later.status())).isTrue();

    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    Step approved = at(T0.plusSeconds(7200)).next(inStaging(r));
    assertThat(condition(approved.status(), Conditions.APPROVED).getLastTransitionTime()).isEqualTo("2026-11-25T12:00:00Z");
    assertThat(condition(approved.status(), Conditions.PLANNED).getLastTransitionTime()).isEqualTo("2026-11-25T10:00:00Z");
  }

  @Test
  void latchedApprovalSurvivesTheAnnotationsRemovalWhileQueued() {
    MigrationRequest r = request();
    r.setStatus(untilIdle(at(T0), r).status());
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    MigrationRequest other = Requests.request("team-b", "other");
    Step queued = at(T0).next(observed(r, STAGING, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(other)));
    assertThat(queued.status().phase).isEqualTo(Phase.Queued);
    assertThat(condition(queued.status(), Conditions.READY).getMessage()).contains("team-b/other");

    r.setStatus(queued.status());
    r.getMetadata().getAnnotations().remove(Annotations.APPROVED_BY);
    Step launched = at(T0).next(inStaging(r));
    assertThat(launched.action()).isInstanceOf(RequestLifecycle.LaunchJob.class);
  }

  @Test
  void rejectionRevokesALatchedApprovalBeforeLaunch() {
    MigrationRequest r = request();
    r.setStatus(untilIdle(at(T0), r).status());
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    r.setStatus(at(T0).next(observed(r, STAGING, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(Requests.request("x", "y")))).status());
    r.getMetadata().getAnnotations().put(Annotations.REJECTED_BY, "bob");
    r.getMetadata().getAnnotations().remove(Annotations.APPROVED_BY);
    Step step = at(T0).next(inStaging(r));
    assertThat(step.status().phase).isEqualTo(Phase.Rejected);
    assertThat(step.action()).isInstanceOf(RequestLifecycle.None.class);
  }

  @Test
  void blockedNamespaceWinsOverAnApprovalAndUnknownLabelsFailClosed() {
    MigrationRequest r = request();
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    Step prod = at(T0).next(observed(r, Map.of("environment", "production"), Optional.of(Requests.scripts("staging")),
        Optional.empty(), Optional.empty(), Optional.empty()));
    assertThat(prod.status().phase).isEqualTo(Phase.Blocked);
    assertThat(condition(prod.status(), Conditions.BLOCKED).getStatus()).isEqualTo("True");
    Step unknown = at(T0).next(observed(r, null, Optional.of(Requests.scripts("staging")),
        Optional.empty(), Optional.empty(), Optional.empty()));
    assertThat(unknown.status().phase).isEqualTo(Phase.Blocked);
  }

  @Test
  void markerWithoutAnObservedJobRelaunchesButAnObservedJobThatVanishedIsLost() {
    MigrationRequest r = request();
    MigrationRequestStatus status = launched(r);
    Step relaunch = at(T0).next(inStaging(r));
    assertThat(relaunch.action()).isInstanceOf(RequestLifecycle.LaunchJob.class);

    status.job.uid = "job-uid";
    Step lost = at(T0).next(inStaging(r));
    assertThat(lost.status().phase).isEqualTo(Phase.Failed);
    assertThat(condition(lost.status(), Conditions.FAILED).getReason()).isEqualTo(Reason.JOB_LOST);
    assertThat(lost.action()).isInstanceOf(RequestLifecycle.None.class);
  }

  @Test
  void finishedJobAsksForEvidenceBeforeTheFinalStatus() {
    MigrationRequest r = request();
    MigrationRequestStatus status = launched(r);
    Job job = new JobBuilder().withNewMetadata().withName(status.job.name).withUid("job-uid").endMetadata()
        .withNewStatus().addNewCondition().withType("Failed").withStatus("True").withReason("DeadlineExceeded")
        .withLastTransitionTime("2026-11-25T10:15:00Z").endCondition().endStatus().build();
    Step step = at(T0).next(observed(r, STAGING, Optional.empty(), Optional.empty(), Optional.of(job), Optional.empty()));
    assertThat(step.status().phase).isEqualTo(Phase.Failed);
    assertThat(condition(step.status(), Conditions.FAILED).getReason()).isEqualTo(Reason.DEADLINE_EXCEEDED);
    assertThat(step.status().job.finishedAt).isEqualTo("2026-11-25T10:15:00Z");
    assertThat(step.action()).isInstanceOf(RequestLifecycle.CaptureEvidence.class);
  }

  @Test
  void finalRequestsNeverChange() {
    MigrationRequest r = request();
    MigrationRequestStatus status = new MigrationRequestStatus();
    status.phase = Phase.Succeeded;
    r.setStatus(status);
    r.getMetadata().getAnnotations().put(Annotations.REJECTED_BY, "bob");
    Step step = at(T0).next(observed(r, Map.of("environment", "production"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    assertThat(step.status().phase).isEqualTo(Phase.Succeeded);
    assertThat(step.action()).isInstanceOf(RequestLifecycle.None.class);
  }
}
