package io.migrationgate.operator.lifecycle;

import io.migrationgate.operator.Requests;
import io.migrationgate.operator.effects.StatusRecorder;
import io.migrationgate.operator.lifecycle.LifecycleAt.Decided;
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
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lifecycle with plain objects and a fixed clock: no API server, no threads. */
class RequestLifecycleTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Map<String, String> STAGING = Map.of("environment", "staging");

  private static final JobFactory JOBS = new JobFactory("migration-gate:test", java.time.Duration.ofMinutes(15), new RunPlacement("migration-gate"));

  private static LifecycleAt at(Instant now) {
    return LifecycleAt.at(now, JOBS, false);
  }

  /** The snapshot as the API server returns it once the operator created it. */
  private static ConfigMap snapshot(MigrationRequest r) {
    return new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName("orders-plan-x7k2p").withUid("snapshot-uid").withNamespace("staging")
        .withOwnerReferences(OwnedLabels.ownedBy(r)).endMetadata()
        .withImmutable(true).withData(Requests.SCRIPTS).build();
  }

  private static MigrationRequest request() {
    MigrationRequest r = Requests.request("staging", "orders");
    r.getMetadata().setUid("uid-1");
    r.getMetadata().setGeneration(1L);
    return r;
  }

  private static Observed observed(MigrationRequest r, Map<String, String> labels, Optional<ConfigMap> source,
      Optional<ConfigMap> snapshot, Optional<Job> job, Optional<MigrationRequest> ahead) {
    return Observed.of(r).namespaceLabels(labels).liveNamespaceLabels(() -> labels).source(() -> source)
        .snapshot(snapshot).job(job).databaseAhead(() -> ahead).build();
  }

  private static Observed inStaging(MigrationRequest r) {
    return observed(r, STAGING, Optional.empty(), Optional.of(snapshot(r)), Optional.empty(), Optional.empty());
  }

  /** The cache still says staging; a live read of the Namespace says production. */
  private static Observed labelledProductionMeanwhile(MigrationRequest r) {
    return Observed.of(r).namespaceLabels(STAGING).liveNamespaceLabels(() -> Map.of("environment", "production"))
        .snapshot(Optional.of(snapshot(r))).build();
  }

  /** Planned, approved by alice at T0 and marked for launch, as the operator itself writes it. */
  private MigrationRequestStatus approvedAndLaunched(MigrationRequest r) {
    r.setStatus(untilIdle(at(T0), r).status());
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    Decided launch = at(T0).next(inStaging(r));
    assertThat(launch.action()).isInstanceOf(Action.LaunchJob.class);
    r.setStatus(launch.status());
    return launch.status();
  }

  /** Runs the lifecycle to where it waits, performing its snapshot side effect as the reconciler would. */
  private Decided untilIdle(LifecycleAt lifecycle, MigrationRequest r) {
    Observed o = observed(r, STAGING, Optional.of(Requests.scripts("staging")), Optional.empty(), Optional.empty(), Optional.empty());
    Decided step = lifecycle.next(o);
    if (step.action() instanceof Action.CreateSnapshot create) {
      assertThat(create.snapshot().getData()).isEqualTo(snapshot(r).getData());
      step = lifecycle.next(o.withSnapshot(snapshot(r)));
    }
    return step;
  }

  private static Condition condition(MigrationRequestStatus s, String type) {
    return s.conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void plannedRequestAwaitsApprovalWithTheSevenConditionsAndReconciling() {
    Decided step = untilIdle(at(T0), request());
    assertThat(step.status().phase).isEqualTo(Phase.AwaitingApproval);
    assertThat(step.status().conditions).extracting(Condition::getType).containsExactly(
        Conditions.PLANNED, Conditions.APPROVED, Conditions.BLOCKED, Conditions.RUNNING,
        Conditions.SUCCEEDED, Conditions.FAILED, Conditions.READY, Conditions.RECONCILING);
    assertThat(condition(step.status(), Conditions.PLANNED).getStatus()).isEqualTo("True");
    assertThat(condition(step.status(), Conditions.READY).getReason()).isEqualTo(Reason.AWAITING_APPROVAL);
    assertThat(condition(step.status(), Conditions.RECONCILING).getReason()).isEqualTo(Reason.AWAITING_APPROVAL);
    assertThat(step.status().plan.recordedAt).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(step.status().plan.database.database).as("where the scripts run").isEqualTo("orders");
    assertThat(step.action()).isInstanceOf(Action.None.class);
  }

  @Test
  void planIsSnapshottedBeforeItIsRecorded() {
    MigrationRequest r = request();
    Decided step = at(T0).next(observed(r, STAGING, Optional.of(Requests.scripts("staging")), Optional.empty(), Optional.empty(), Optional.empty()));
    var create = (Action.CreateSnapshot) step.action();
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
    Decided step = at(T0.plusSeconds(60)).next(inStaging(r));
    assertThat(step.action()).isInstanceOf(Action.LaunchJob.class);
    assertThat(step.status().approval.approvedBy).isEqualTo("alice");
    assertThat(step.status().approval.recordedAt).isEqualTo("2026-11-25T10:01:00Z");
    assertThat(step.status().job.name).isEqualTo(ResourceNames.job(r));
    assertThat(step.status().phase).isEqualTo(Phase.Running);
  }

  @Test
  void aRequestWithoutRequestedByWaitsWhoeverApprovesItAndSaysWhy() {
    MigrationRequest r = request();
    r.getMetadata().getAnnotations().remove(Annotations.REQUESTED_BY);
    Decided planned = untilIdle(at(T0), r);
    assertThat(condition(planned.status(), Conditions.READY).getReason()).isEqualTo(Reason.REQUESTER_UNKNOWN);
    r.setStatus(planned.status());
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_DIGEST, planned.status().plan.digest);

    Decided step = at(T0.plusSeconds(60)).next(inStaging(r));
    assertThat(step.status().phase).isEqualTo(Phase.AwaitingApproval);
    assertThat(step.status().approval).isNull();
    assertThat(step.action()).isInstanceOf(Action.None.class);
    assertThat(condition(step.status(), Conditions.APPROVED).getReason()).isEqualTo(Reason.REQUESTER_UNKNOWN);
    assertThat(condition(step.status(), Conditions.READY).getMessage())
        .contains("nobody is recorded as the requester", "kubectl annotate mr orders -n staging "
            + Annotations.REQUESTED_BY + "=<the requester's username>");
  }

  @Test
  void lastTransitionTimeIsKeptWhenAConditionsStatusDoesNotChange() {
    MigrationRequest r = request();
    r.setStatus(untilIdle(at(T0), r).status());
    Decided later = at(T0.plusSeconds(3600)).next(inStaging(r));
    assertThat(later.status().conditions).allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-25T10:00:00Z"));
    assertThat(StatusRecorder.same(r.getStatus(), later.status())).as("nothing to write").isTrue();

    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    Decided approved = at(T0.plusSeconds(7200)).next(inStaging(r));
    assertThat(condition(approved.status(), Conditions.APPROVED).getLastTransitionTime()).isEqualTo("2026-11-25T12:00:00Z");
    assertThat(condition(approved.status(), Conditions.PLANNED).getLastTransitionTime()).isEqualTo("2026-11-25T10:00:00Z");
  }

  @Test
  void latchedApprovalSurvivesTheAnnotationsRemovalWhileQueued() {
    MigrationRequest r = request();
    r.setStatus(untilIdle(at(T0), r).status());
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    MigrationRequest other = Requests.request("team-b", "other");
    Decided queued = at(T0).next(observed(r, STAGING, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(other)));
    assertThat(queued.status().phase).isEqualTo(Phase.Queued);
    assertThat(condition(queued.status(), Conditions.READY).getMessage()).contains("team-b/other");

    r.setStatus(queued.status());
    r.getMetadata().getAnnotations().remove(Annotations.APPROVED_BY);
    Decided launched = at(T0).next(inStaging(r));
    assertThat(launched.action()).isInstanceOf(Action.LaunchJob.class);
  }

  @Test
  void rejectionRevokesALatchedApprovalBeforeLaunch() {
    MigrationRequest r = request();
    r.setStatus(untilIdle(at(T0), r).status());
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    r.setStatus(at(T0).next(observed(r, STAGING, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(Requests.request("x", "y")))).status());
    r.getMetadata().getAnnotations().put(Annotations.REJECTED_BY, "bob");
    r.getMetadata().getAnnotations().remove(Annotations.APPROVED_BY);
    Decided step = at(T0).next(inStaging(r));
    assertThat(step.status().phase).isEqualTo(Phase.Rejected);
    assertThat(step.action()).isInstanceOf(Action.None.class);
    assertThat(condition(step.status(), Conditions.STALLED).getReason()).isEqualTo(Reason.REJECTED);
    assertThat(step.status().conditions).extracting(Condition::getType).doesNotContain(Conditions.RECONCILING);
  }

  @Test
  void aRequestThatEndedBeforeKstatusConditionsGetsStalledOnItsNextReconcile() {
    MigrationRequest r = request();
    r.setStatus(untilIdle(at(T0), r).status());
    r.getMetadata().getAnnotations().put(Annotations.REJECTED_BY, "bob");
    MigrationRequestStatus rejected = at(T0).next(inStaging(r)).status();
    rejected.conditions = rejected.conditions.stream().filter(c -> !Conditions.STALLED.equals(c.getType())).toList();
    r.setStatus(rejected);

    Decided step = at(T0.plusSeconds(3600)).next(inStaging(r));
    assertThat(step.action()).isInstanceOf(Action.None.class);
    assertThat(condition(step.status(), Conditions.STALLED).getStatus()).isEqualTo("True");
    assertThat(condition(step.status(), Conditions.STALLED).getLastTransitionTime()).isEqualTo("2026-11-25T11:00:00Z");
  }

  @Test
  void blockedNamespaceWinsOverAnApprovalAndUnknownLabelsFailClosed() {
    MigrationRequest r = request();
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    Decided prod = at(T0).next(observed(r, Map.of("environment", "production"), Optional.of(Requests.scripts("staging")),
        Optional.empty(), Optional.empty(), Optional.empty()));
    assertThat(prod.status().phase).isEqualTo(Phase.Blocked);
    assertThat(condition(prod.status(), Conditions.BLOCKED).getStatus()).isEqualTo("True");
    Decided unknown = at(T0).next(observed(r, null, Optional.of(Requests.scripts("staging")),
        Optional.empty(), Optional.empty(), Optional.empty()));
    assertThat(unknown.status().phase).isEqualTo(Phase.Blocked);
  }

  @Test
  void markerWithoutAnObservedJobRelaunchesButAnObservedJobThatVanishedIsLost() {
    MigrationRequest r = request();
    MigrationRequestStatus status = approvedAndLaunched(r);
    Decided relaunch = at(T0).next(inStaging(r));
    assertThat(relaunch.action()).isInstanceOf(Action.LaunchJob.class);

    status.job.uid = "job-uid";
    Decided lost = at(T0).next(inStaging(r));
    assertThat(lost.status().phase).isEqualTo(Phase.Failed);
    assertThat(condition(lost.status(), Conditions.FAILED).getReason()).isEqualTo(Reason.JOB_LOST);
    assertThat(lost.action()).isInstanceOf(Action.None.class);
  }

  @Test
  void finishedJobAsksForEvidenceBeforeTheFinalStatus() {
    MigrationRequest r = request();
    MigrationRequestStatus status = approvedAndLaunched(r);
    status.job.uid = "job-uid";
    Job job = ended(status, "Failed", "DeadlineExceeded");
    Decided step = at(T0).next(observed(r, STAGING, Optional.empty(), Optional.empty(), Optional.of(job), Optional.empty()));
    assertThat(step.status().phase).isEqualTo(Phase.Failed);
    assertThat(condition(step.status(), Conditions.FAILED).getReason()).isEqualTo(Reason.DEADLINE_EXCEEDED);
    assertThat(condition(step.status(), Conditions.FAILED).getMessage()).as("its pod never waited for the Secret")
        .doesNotContain("credentials Secret");
    assertThat(step.status().job.finishedAt).isEqualTo("2026-11-25T10:15:00Z");
    assertThat(step.action()).isInstanceOf(Action.CaptureEvidence.class);
  }

  @Test
  void theEvidenceRecordedGoesIntoTheFinalStatusAndNothingElseIsAskedFor() {
    MigrationRequest r = request();
    MigrationRequestStatus status = approvedAndLaunched(r);
    status.job.uid = "job-uid";
    Job job = ended(status, "Complete", null);
    io.migrationgate.api.v1alpha1.EvidenceStatus evidence = new io.migrationgate.api.v1alpha1.EvidenceStatus();
    evidence.configMap = "orders-evidence-q8z1m";

    Decided step = at(T0).next(observed(r, STAGING, Optional.empty(), Optional.empty(), Optional.of(job), Optional.empty())
        .withEvidence(evidence));

    assertThat(step.status().phase).isEqualTo(Phase.Succeeded);
    assertThat(step.status().evidence.configMap).isEqualTo("orders-evidence-q8z1m");
    assertThat(step.action()).isInstanceOf(Action.None.class);
  }

  @Test
  void aJobWhosePodCanNeverStartIsDeletedOnceItsEvidenceIsKept() {
    MigrationRequest r = request();
    MigrationRequestStatus status = approvedAndLaunched(r);
    status.job.uid = "job-uid";
    Job job = new JobBuilder().withNewMetadata().withName(status.job.name).withUid("job-uid").endMetadata()
        .withNewStatus().withStartTime("2026-11-25T10:00:00Z").endStatus().build();
    Pod pod = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(status.job.name + "-x")
        .endMetadata().withNewStatus().withPhase("Pending").addNewContainerStatus().withName(JobFactory.RUNNER_CONTAINER)
        .withNewState().withNewWaiting().withReason("CreateContainerConfigError")
        .withMessage("configmap \"orders-plan-x7k2p\" not found").endWaiting().endState().endContainerStatus().endStatus().build();
    Observed seen = Observed.of(r).namespaceLabels(STAGING).liveNamespaceLabels(() -> STAGING)
        .job(Optional.of(job)).pod(Optional.of(pod)).build();
    io.migrationgate.api.v1alpha1.EvidenceStatus evidence = new io.migrationgate.api.v1alpha1.EvidenceStatus();
    evidence.configMap = "orders-evidence-q8z1m";

    Decided first = at(T0).next(seen);
    assertThat(first.action()).isInstanceOf(Action.CaptureEvidence.class);
    Decided second = at(T0).next(seen.withEvidence(evidence));
    assertThat(condition(second.status(), Conditions.FAILED).getReason()).isEqualTo(Reason.POD_CONFIG_ERROR);
    assertThat(second.action()).isEqualTo(new Action.DeleteJob(job));

    job.getMetadata().setDeletionTimestamp("2026-11-25T10:01:00Z");
    Decided deleting = at(T0).next(seen.withEvidence(evidence));
    assertThat(deleting.action()).as("a Job already being deleted").isInstanceOf(Action.None.class);
  }

  @Test
  void aRunWhosePodNeverStartedGivesItsTurnBackAtTheStartTimeoutByTheOperatorsOwnClock() {
    MigrationRequest r = request();
    MigrationRequestStatus status = approvedAndLaunched(r);
    assertThat(status.job.launchedAt).as("the launch marker carries the operator's time").isEqualTo(T0.toString());
    status.job.uid = "job-uid";
    // The API server's and the node's clocks say the Job is a day old; only the operator's count.
    Job job = new JobBuilder().withNewMetadata().withName(status.job.name).withUid("job-uid")
        .withCreationTimestamp("2026-11-24T10:00:00Z").endMetadata()
        .withNewStatus().withStartTime("2026-11-24T10:00:00Z").withActive(1).endStatus().build();
    Pod unscheduled = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(status.job.name + "-x")
        .withCreationTimestamp("2026-11-24T10:00:00Z").endMetadata().withNewStatus().withPhase("Pending")
        .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
        .withMessage("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector").endCondition()
        .endStatus().build();
    Observed seen = Observed.of(r).namespaceLabels(STAGING).liveNamespaceLabels(() -> STAGING)
        .job(Optional.of(job)).pod(Optional.of(unscheduled)).build();

    Decided waiting = at(T0.plus(RunStart.DEFAULT_TIMEOUT).minusSeconds(1)).next(seen);
    assertThat(waiting.status().phase).isEqualTo(Phase.Running);

    Decided first = at(T0.plus(RunStart.DEFAULT_TIMEOUT)).next(seen);
    assertThat(first.action()).isInstanceOf(Action.CaptureEvidence.class);
    io.migrationgate.api.v1alpha1.EvidenceStatus evidence = new io.migrationgate.api.v1alpha1.EvidenceStatus();
    evidence.configMap = "orders-evidence-q8z1m";
    Decided givenBack = at(T0.plus(RunStart.DEFAULT_TIMEOUT)).next(seen.withEvidence(evidence));
    assertThat(givenBack.status().phase).isEqualTo(Phase.Failed);
    assertThat(condition(givenBack.status(), Conditions.FAILED).getReason()).isEqualTo(Reason.RUN_NOT_STARTED);
    assertThat(condition(givenBack.status(), Conditions.FAILED).getMessage())
        .contains("nothing ran", "didn't match Pod's node affinity/selector", "turn goes to the next request");
    assertThat(givenBack.action()).isEqualTo(new Action.DeleteJob(job));
    assertThat(DatabaseQueue.frees(givenBack.status())).as("the database is free once this is written").isTrue();
  }

  @Test
  void aRunThatStartedIsNeverGivenBackHoweverLongItRuns() {
    MigrationRequest r = request();
    MigrationRequestStatus status = approvedAndLaunched(r);
    status.job.uid = "job-uid";
    Job job = new JobBuilder().withNewMetadata().withName(status.job.name).withUid("job-uid").endMetadata()
        .withNewStatus().withActive(1).endStatus().build();
    Pod restarted = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(status.job.name + "-x")
        .endMetadata().withNewStatus().withPhase("Pending").addNewContainerStatus().withName(JobFactory.RUNNER_CONTAINER)
        .withNewState().withNewWaiting().withReason("ImagePullBackOff").endWaiting().endState()
        .withNewLastState().withNewTerminated().withExitCode(137).endTerminated().endLastState().endContainerStatus()
        .endStatus().build();

    Decided later = at(T0.plus(RunStart.DEFAULT_TIMEOUT).plusSeconds(3600)).next(Observed.of(r).namespaceLabels(STAGING)
        .liveNamespaceLabels(() -> STAGING).job(Optional.of(job)).pod(Optional.of(restarted)).build());
    assertThat(later.status().phase).isEqualTo(Phase.Running);
  }

  @Test
  void aJobThatWaitedForItsCredentialsUntilTheDeadlineSaysSo() {
    MigrationRequest r = request();
    MigrationRequestStatus status = approvedAndLaunched(r);
    status.job.uid = "job-uid";
    Job job = ended(status, "Failed", "DeadlineExceeded");
    Pod waiting = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(status.job.name + "-x")
        .endMetadata().withNewStatus().withPhase("Pending").addNewContainerStatus().withName(JobFactory.RUNNER_CONTAINER)
        .withNewState().withNewWaiting().withReason("CreateContainerConfigError")
        .withMessage("secret \"orders-db\" not found").endWaiting().endState().endContainerStatus().endStatus().build();
    Job started = new JobBuilder(job).withStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatus()).build();
    Decided wait = at(T0).next(Observed.of(r).namespaceLabels(STAGING).liveNamespaceLabels(() -> STAGING)
        .job(Optional.of(started)).pod(Optional.of(waiting)).build());
    assertThat(wait.status().phase).isEqualTo(Phase.Running);
    assertThat(condition(wait.status(), Conditions.READY).getReason()).isEqualTo(Reason.SECRET_NOT_FOUND);
    assertThat(wait.status().job.podWaiting).isEqualTo(Reason.SECRET_NOT_FOUND);
    r.setStatus(wait.status());

    Decided deadline = at(T0).next(observed(r, STAGING, Optional.empty(), Optional.empty(), Optional.of(job), Optional.empty()));

    assertThat(condition(deadline.status(), Conditions.FAILED).getReason()).isEqualTo(Reason.DEADLINE_EXCEEDED);
    assertThat(condition(deadline.status(), Conditions.FAILED).getMessage()).contains("waited for the credentials Secret");
    assertThat(deadline.status().job.podWaiting).as("the pod no longer waits").isNull();
  }

  @Test
  void aFinalRequestLosesAReconcileErrorOnceAReconcileSucceeds() {
    MigrationRequest r = request();
    MigrationRequestStatus status = new MigrationRequestStatus();
    status.phase = Phase.Succeeded;
    status.conditions = StatusConditions.withReconcileError(status, Reason.UNEXPECTED_ERROR,
        "reconcile attempt 1 failed: IllegalStateException: boom; the operator retries", T0.toString());
    r.setStatus(status);
    assertThat(r.getStatus().conditions).extracting(Condition::getType).contains(Conditions.RECONCILE_ERROR);

    Decided step = at(T0).next(inStaging(r));

    assertThat(step.status().conditions).extracting(Condition::getType).doesNotContain(Conditions.RECONCILE_ERROR);
    assertThat(step.action()).isInstanceOf(Action.None.class);
  }

  @Test
  void finalRequestsNeverChange() {
    MigrationRequest r = request();
    MigrationRequestStatus status = new MigrationRequestStatus();
    status.phase = Phase.Succeeded;
    r.setStatus(status);
    r.getMetadata().getAnnotations().put(Annotations.REJECTED_BY, "bob");
    Decided step = at(T0).next(observed(r, Map.of("environment", "production"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    assertThat(step.status().phase).isEqualTo(Phase.Succeeded);
    assertThat(step.action()).isInstanceOf(Action.None.class);
  }

  @Test
  void aForgedApprovalForAnotherDigestLaunchesNothing() {
    MigrationRequest r = request();
    r.setStatus(untilIdle(at(T0), r).status());
    r.getStatus().approval = new io.migrationgate.api.v1alpha1.ApprovalStatus();
    r.getStatus().approval.approvedBy = "mallory";
    r.getStatus().approval.digest = "sha256:" + "0".repeat(64);
    r.getStatus().approval.recordedAt = T0.toString();
    Decided step = at(T0).next(inStaging(r));
    assertThat(step.action()).isInstanceOf(Action.None.class);
    assertThat(step.status().phase).isEqualTo(Phase.Failed);
    assertThat(condition(step.status(), Conditions.FAILED).getReason()).isEqualTo(Reason.UNTRUSTED_STATUS);
    assertThat(step.status().job).isNull();
  }

  @Test
  void aForgedLaunchMarkerWithoutApprovalLaunchesNothing() {
    MigrationRequest r = request();
    r.setStatus(untilIdle(at(T0), r).status());
    r.getStatus().job = new io.migrationgate.api.v1alpha1.JobStatus();
    r.getStatus().job.name = "anything";
    Decided step = at(T0).next(inStaging(r));
    assertThat(step.action()).isInstanceOf(Action.None.class);
    assertThat(condition(step.status(), Conditions.FAILED).getReason()).isEqualTo(Reason.UNTRUSTED_STATUS);
  }

  @Test
  void aSnapshotTheOperatorDidNotRecordIsNeverMounted() {
    MigrationRequest r = request();
    approvedAndLaunched(r);
    r.getStatus().job = null;
    ConfigMap source = Requests.scripts("staging");
    source.getMetadata().setUid("source-uid");
    r.getStatus().plan.snapshot = source.getMetadata().getName();
    r.getStatus().plan.snapshotUid = "source-uid";
    Decided step = at(T0).next(observed(r, STAGING, Optional.empty(), Optional.of(source), Optional.empty(), Optional.empty()));
    assertThat(step.action()).isInstanceOf(Action.None.class);
    assertThat(condition(step.status(), Conditions.FAILED).getMessage()).contains("not an immutable snapshot");

    r.getStatus().plan.snapshot = source.getMetadata().getName();
    r.getStatus().plan.snapshotUid = snapshot(r).getMetadata().getUid();
    Decided renamed = at(T0).next(observed(r, STAGING, Optional.empty(), Optional.of(snapshot(r)), Optional.empty(), Optional.empty()));
    assertThat(condition(renamed.status(), Conditions.FAILED).getReason())
        .as("the recorded uid with another name: the name is what the Job would mount").isEqualTo(Reason.UNTRUSTED_STATUS);

    ConfigMap edited = snapshot(r);
    edited.getData().put("V3__more.sql", "drop table orders;");
    r.getStatus().plan.snapshot = edited.getMetadata().getName();
    r.getStatus().plan.snapshotUid = edited.getMetadata().getUid();
    Decided changed = at(T0).next(observed(r, STAGING, Optional.empty(), Optional.of(edited), Optional.empty(), Optional.empty()));
    assertThat(condition(changed.status(), Conditions.FAILED).getReason()).isEqualTo(Reason.UNTRUSTED_STATUS);
  }

  @Test
  void aRelaunchAfterACrashRechecksTheLiveNamespaceAndTheRejectionAndFreesTheMarker() {
    MigrationRequest r = request();
    approvedAndLaunched(r);
    Decided blocked = at(T0).next(labelledProductionMeanwhile(r));
    assertThat(blocked.action()).isInstanceOf(Action.None.class);
    assertThat(blocked.status().phase).isEqualTo(Phase.Blocked);
    assertThat(blocked.status().job).as("a withdrawn marker frees the database").isNull();

    r.getMetadata().getAnnotations().put(Annotations.REJECTED_BY, "bob");
    Decided rejected = at(T0).next(inStaging(r));
    assertThat(rejected.action()).isInstanceOf(Action.None.class);
    assertThat(rejected.status().phase).isEqualTo(Phase.Rejected);
  }

  @Test
  void aFirstLaunchReadsTheNamespaceLiveNotFromTheCache() {
    MigrationRequest r = request();
    r.setStatus(untilIdle(at(T0), r).status());
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    Decided step = at(T0).next(labelledProductionMeanwhile(r));
    assertThat(step.action()).isInstanceOf(Action.None.class);
    assertThat(step.status().phase).isEqualTo(Phase.Blocked);
  }

  @Test
  void aRefusedJobCreateWithdrawsTheMarkerAndWaits() {
    MigrationRequest r = request();
    approvedAndLaunched(r);
    Decided step = at(T0).launchRefused(r, "exceeded quota: jobs, requested: count/jobs.batch=1");
    assertThat(step.status().phase).isEqualTo(Phase.Queued);
    assertThat(step.status().job).isNull();
    assertThat(step.status().approval.approvedBy).as("the approval stays latched").isEqualTo("alice");
    assertThat(condition(step.status(), Conditions.READY).getReason()).isEqualTo(Reason.JOB_CREATE_REFUSED);
    assertThat(condition(step.status(), Conditions.READY).getMessage()).contains("exceeded quota");
    assertThat(step.status().queue.jobRefusedAt).as("out of the database's line").isEqualTo(T0.toString());

    r.setStatus(step.status());
    Decided waiting = at(T0).next(observed(r, STAGING, Optional.empty(), Optional.of(snapshot(r)), Optional.empty(),
        Optional.of(Requests.request("team-b", "other"))));
    assertThat(waiting.status().phase).isEqualTo(Phase.Queued);
    assertThat(waiting.status().queue).as("back in line with the next decision").isNull();
  }

  @Test
  void aJobAtTheJobNameIsAdoptedOnlyIfItCarriesTheMarkersTokenAndIsTheApprovedRun() {
    MigrationRequest r = request();
    approvedAndLaunched(r);
    Decided adopted = at(T0).next(observed(r, STAGING, Optional.empty(), Optional.of(snapshot(r)),
        Optional.of(builtAt(r, "job-uid", T0.plusSeconds(1))), Optional.empty()));
    assertThat(adopted.status().job.uid).isEqualTo("job-uid");
    assertThat(adopted.status().phase).isEqualTo(Phase.Running);

    // Made in advance, before the marker existed: whoever made it could not know the token.
    Job guessed = builtAt(r, "decoy-uid", T0.plusSeconds(1));
    guessed.getSpec().getTemplate().getMetadata().getAnnotations().put(OwnedLabels.LAUNCH_TOKEN, "a-guess");
    Job untokened = builtAt(r, "decoy-uid", T0.plusSeconds(1));
    untokened.getSpec().getTemplate().getMetadata().getAnnotations().remove(OwnedLabels.LAUNCH_TOKEN);
    Job other = builtAt(r, "decoy-uid", T0.plusSeconds(1));
    other.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("attacker/image");
    Job envFrom = builtAt(r, "decoy-uid", T0.plusSeconds(1));
    envFrom.getSpec().getTemplate().getSpec().getContainers().get(0).setEnvFrom(java.util.List.of(
        new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder().withNewConfigMapRef("injected", false).build()));
    Job unowned = builtAt(r, "decoy-uid", T0.plusSeconds(1));
    unowned.getMetadata().setOwnerReferences(java.util.List.of());
    for (Job decoy : java.util.List.of(guessed, untokened, other, envFrom, unowned)) {
      Decided step = at(T0).next(observed(r, STAGING, Optional.empty(), Optional.of(snapshot(r)), Optional.of(decoy), Optional.empty()));
      assertThat(step.status().phase).isEqualTo(Phase.Failed);
      assertThat(condition(step.status(), Conditions.FAILED).getReason()).isEqualTo(Reason.OWNED_OBJECT_CONFLICT);
      assertThat(step.status().job.uid).isNull();
    }
  }

  @Test
  void itsOwnJobIsAdoptedWhateverTheApiServersClockSaid() {
    MigrationRequest r = request();
    approvedAndLaunched(r);
    // The API server's clock runs a minute behind the operator's: its creationTimestamp is "before" the approval.
    Decided step = at(T0.plusSeconds(5)).next(observed(r, STAGING, Optional.empty(), Optional.of(snapshot(r)),
        Optional.of(builtAt(r, "job-uid", T0.minusSeconds(60))), Optional.empty()));

    assertThat(step.status().job.uid).isEqualTo("job-uid");
    assertThat(step.status().phase).isEqualTo(Phase.Running);
  }

  @Test
  void aMarkerWrittenBeforeACrashKeepsItsTokenWhenTheLaunchIsRepeated() {
    MigrationRequest r = request();
    String token = approvedAndLaunched(r).job.launchToken;

    Decided again = at(T0).next(observed(r, STAGING, Optional.empty(), Optional.of(snapshot(r)), Optional.empty(), Optional.empty()));

    assertThat(again.action()).isInstanceOf(Action.LaunchJob.class);
    assertThat(again.status().job.launchToken).isNotBlank().isEqualTo(token);
  }

  /** The recorded Job as the Job controller leaves it at 10:15 with condition {@code type}. */
  private static Job ended(MigrationRequestStatus status, String type, String reason) {
    return new JobBuilder().withNewMetadata().withName(status.job.name).withUid(status.job.uid).endMetadata()
        .withNewStatus().addNewCondition().withType(type).withStatus("True").withReason(reason)
        .withLastTransitionTime("2026-11-25T10:15:00Z").endCondition().endStatus().build();
  }

  /** The Job the operator would build, as the API server returns it after creating it at {@code created}. */
  private static Job builtAt(MigrationRequest r, String uid, Instant created) {
    Job job = Requests.asTheApiServerReturnsIt(JOBS.build(r));
    job.getMetadata().setUid(uid);
    job.getMetadata().setCreationTimestamp(created.toString());
    return job;
  }
}
