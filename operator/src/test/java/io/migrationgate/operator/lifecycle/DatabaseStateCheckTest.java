package io.migrationgate.operator.lifecycle;

import io.migrationgate.operator.Requests;
import io.migrationgate.operator.lifecycle.LifecycleAt.Decided;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.migrationgate.api.v1alpha1.Annotations;
import io.migrationgate.api.v1alpha1.Conditions;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.api.v1alpha1.EvidenceStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.PlannedState;
import io.migrationgate.contract.RunReport;
import io.migrationgate.contract.RunnerCommand;
import io.migrationgate.contract.RunnerCommandParser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The database half of the plan, through the lifecycle, with plain objects and a fixed clock. */
class DatabaseStateCheckTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Map<String, String> STAGING = Map.of("environment", "staging");
  private static final JobFactory JOBS = new JobFactory("migration-gate:test", Duration.ofMinutes(15), new RunPlacement("migration-gate"));
  private static final List<RunReport.HistoryEntry> AT_V1 =
      List.of(new RunReport.HistoryEntry("1", "create orders", "V1__create_orders.sql", 1111, true));
  private static final PlannedState STATE = PlannedState.of("1", AT_V1);

  private final LifecycleAt lifecycle = at(T0);

  private static MigrationRequest request() {
    MigrationRequest r = Requests.request("staging", "orders");
    r.getMetadata().setUid("uid-1");
    r.getMetadata().setGeneration(1L);
    return r;
  }

  private static ConfigMap snapshot(MigrationRequest r) {
    return new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName("orders-plan-x7k2p").withUid("snapshot-uid").withNamespace("staging")
        .withOwnerReferences(OwnedLabels.ownedBy(r)).endMetadata()
        .withImmutable(true).withData(Requests.SCRIPTS).build();
  }

  private static Observed observed(MigrationRequest r, PlanRun run) {
    return Observed.of(r).namespaceLabels(STAGING).liveNamespaceLabels(() -> STAGING)
        .source(() -> Optional.of(Requests.scripts("staging"))).snapshot(Optional.of(snapshot(r))).planRun(run).build();
  }

  /** The plan Job as the API server returns it, finished by the Job controller with the runner's report. */
  private static PlanRun finished(MigrationRequest r, RunReport report, boolean withEvidence) {
    Job job = JOBS.buildPlan(r, r.getStatus().plan);
    job.getMetadata().setUid("plan-job-uid");
    job.getMetadata().setCreationTimestamp(T0.toString());
    job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().addNewCondition()
        .withType(report.outcome() == Outcome.SUCCEEDED ? "Complete" : "Failed").withStatus("True")
        .withLastTransitionTime(T0.plusSeconds(5).toString()).endCondition().build());
    Pod pod = new PodBuilder().withNewMetadata().withName(job.getMetadata().getName() + "-x")
        .withLabels(Map.of(TrustedObjects.JOB_CONTROLLER_UID, "plan-job-uid"))
        .addNewOwnerReference().withController(true).withUid("plan-job-uid").withKind("Job").withName("x").endOwnerReference()
        .endMetadata().withNewStatus().withPhase("Succeeded").addNewContainerStatus().withName(JobFactory.RUNNER_CONTAINER)
        .withNewState().withNewTerminated().withExitCode(report.exitCode()).withMessage(report.toCompactJson(4096))
        .endTerminated().endState().endContainerStatus().endStatus().build();
    EvidenceStatus evidence = new EvidenceStatus();
    evidence.configMap = "orders-plan-evidence-q1";
    PlanRun run = PlanRun.none().withJob(job).withPod(pod);
    return withEvidence ? run.withEvidence(evidence) : run;
  }

  /** The plan Job of the marker in status, created and running. */
  private static PlanRun running(MigrationRequest r) {
    Job job = Requests.asTheApiServerReturnsIt(JOBS.buildPlan(r, r.getStatus().plan));
    job.getMetadata().setUid("plan-job-uid");
    job.getMetadata().setCreationTimestamp(T0.toString());
    return PlanRun.none().withJob(job);
  }

  private static MigrationRequest requestWith(MigrationRequest r, Decided step) {
    MigrationRequest copy = request();
    copy.setStatus(step.status());
    return copy;
  }

  private static LifecycleAt at(Instant now) {
    return LifecycleAt.at(now, JOBS, true);
  }

  private static RunReport plan(List<RunReport.PendingMigration> pending, List<RunReport.Finding> findings) {
    return RunReport.builder().program("plan").outcome(Outcome.SUCCEEDED).message("planned")
        .databaseProduct("PostgreSQL").databaseVersion("17.6").historyTableExists(true)
        .plannedState(STATE.toString()).history(AT_V1).pending(pending).findings(findings).build();
  }

  private static final List<RunReport.PendingMigration> V2_PENDING =
      List.of(new RunReport.PendingMigration("2", "add status", "V2__add_status.sql", 2222));

  /** Planned scripts, then the plan Job read the database: the request as status would hold it. */
  private Decided checked(MigrationRequest r, RunReport report) {
    Decided planning = lifecycle.next(observed(r, PlanRun.none()));
    r.setStatus(planning.status());
    Decided evidence = lifecycle.next(observed(r, finished(r, report, false)));
    assertThat(evidence.action()).isInstanceOf(Action.CapturePlanEvidence.class);
    return lifecycle.next(observed(r, finished(r, report, true)));
  }

  private static Condition ready(MigrationRequestStatus status) {
    return status.conditions.stream().filter(c -> Conditions.READY.equals(c.getType())).findFirst().orElseThrow();
  }

  @Test
  void aRecordedPlanStartsOneReadOnlyPlanJobBeforeAnyApprovalIsAsked() {
    MigrationRequest r = request();
    Decided step = lifecycle.next(observed(r, PlanRun.none()));

    assertThat(step.status().phase).isEqualTo(Phase.Pending);
    assertThat(ready(step.status()).getReason()).isEqualTo(Reason.CHECKING_DATABASE);
    assertThat(step.status().plan.digest).as("nothing to approve yet").isNull();
    assertThat(step.status().plan.check.mode).isEqualTo(DatabaseCheck.DATABASE);
    var launch = (Action.LaunchPlanJob) step.action();
    assertThat(launch.job().getMetadata().getName()).isEqualTo(step.status().plan.check.job).endsWith("-check-1");
    var runner = launch.job().getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(runner.getCommand()).endsWith("plan");
    assertThat(runner.getArgs()).noneMatch(a -> a.startsWith("--expected-state"));
    assertThat(launch.job().getSpec().getActiveDeadlineSeconds()).isEqualTo(JobFactory.PLAN_DEADLINE.toSeconds());
    assertThat(launch.job().getSpec().getTemplate().getMetadata().getAnnotations())
        .as("the marker's token, written to status before the Job is created")
        .containsEntry(OwnedLabels.LAUNCH_TOKEN, step.status().plan.check.launchToken);
    assertThat(step.status().plan.check.launchToken).hasSize(32);
  }

  @Test
  void itsOwnPlanJobIsAdoptedWhateverTheApiServersClockSaid() {
    MigrationRequest r = request();
    r.setStatus(lifecycle.next(observed(r, PlanRun.none())).status());
    PlanRun run = running(r);
    // Created a minute "before" the plan was recorded, by the API server's clock.
    run.job().get().getMetadata().setCreationTimestamp(T0.minusSeconds(60).toString());

    Decided step = lifecycle.next(observed(r, run));

    assertThat(step.status().plan.check.jobUid).isEqualTo("plan-job-uid");
    assertThat(ready(step.status()).getReason()).isEqualTo(Reason.CHECKING_DATABASE);
  }

  @Test
  void aPlanJobWithoutTheMarkersTokenIsNeverAdopted() {
    MigrationRequest r = request();
    r.setStatus(lifecycle.next(observed(r, PlanRun.none())).status());
    PlanRun forged = running(r);
    // Made in advance at the name the plan would use, with everything but the token.
    forged.job().get().getSpec().getTemplate().getMetadata().getAnnotations().put(OwnedLabels.LAUNCH_TOKEN, "a-guess");

    Decided step = lifecycle.next(observed(r, forged));

    assertThat(step.status().phase).isEqualTo(Phase.Failed);
    assertThat(ready(step.status()).getReason()).isEqualTo(Reason.OWNED_OBJECT_CONFLICT);
    assertThat(step.status().plan.check.jobUid).isNull();
  }

  @Test
  void withoutAFreeSlotTheRequestWaitsInLineAndNamesNoPlanJob() {
    MigrationRequest r = request();
    PlanRun full = PlanRun.none().withSlotWait(() -> Optional.of("waiting for a plan Job slot: 3 of 5 in line"));

    Decided step = lifecycle.next(observed(r, full));

    assertThat(step.status().phase).isEqualTo(Phase.Pending);
    assertThat(ready(step.status()).getReason()).isEqualTo(Reason.WAITING_FOR_PLAN_SLOT);
    assertThat(ready(step.status()).getMessage()).contains("3 of 5 in line");
    assertThat(step.action()).isInstanceOf(Action.None.class);
    assertThat(step.status().plan.check.job).as("no marker while waiting").isNull();
    assertThat(PlanJobLine.waitsForSlot(requestWith(r, step))).isTrue();
  }

  @Test
  void anUnreachableDatabaseIsTriedAgainAfterABackoffUnderANewPlanJobName() {
    MigrationRequest r = request();
    RunReport unreachable = RunReport.builder().program("plan").outcome(Outcome.CONNECTION_FAILED)
        .message("cannot connect to orders-db:5432: Connection refused (SQL state 08001)").build();
    Decided failed = checked(r, unreachable);
    String firstJob = failed.status().plan.check.job;

    assertThat(failed.status().phase).isEqualTo(Phase.Pending);
    assertThat(ready(failed.status()).getReason()).isEqualTo(Reason.PLAN_RETRYING);
    assertThat(ready(failed.status()).getMessage()).contains("plan attempt 1 of " + DatabaseStateCheck.MAX_ATTEMPTS,
        "DatabaseUnreachable", "Connection refused", "trying again at 2026-11-25T10:00:10Z");
    assertThat(failed.status().plan.check.failedAttempts).singleElement().satisfies(a -> {
      assertThat(a.job).isEqualTo(firstJob);
      assertThat(a.evidence.configMap).isEqualTo("orders-plan-evidence-q1");
    });
    assertThat(PlanJobLine.holdsSlot(requestWith(r, failed))).as("its report is kept: the slot is free").isFalse();
    r.setStatus(failed.status());

    Decided early = at(T0.plusSeconds(9)).next(observed(r, finished(r, unreachable, true)));
    assertThat(ready(early.status()).getReason()).isEqualTo(Reason.PLAN_RETRYING);
    assertThat(early.action()).isInstanceOf(Action.None.class);

    Decided again = at(T0.plusSeconds(10)).next(observed(r, finished(r, unreachable, true)));
    assertThat(again.action()).isInstanceOf(Action.LaunchPlanJob.class);
    assertThat(again.status().plan.check.attempt).isEqualTo(2);
    assertThat(again.status().plan.check.job).isEqualTo(firstJob + "-2");
    assertThat(again.status().plan.check.launchToken).isNotEqualTo(failed.status().plan.check.launchToken);
    assertThat(again.status().plan.check.evidence).isNull();
    assertThat(ready(again.status()).getMessage()).contains("attempt 2 of " + DatabaseStateCheck.MAX_ATTEMPTS);
  }

  @Test
  void theLastAttemptThatFailsFailsTheRequestForGood() {
    MigrationRequest r = request();
    r.setStatus(lifecycle.next(observed(r, PlanRun.none())).status());
    r.getStatus().plan.check.attempt = DatabaseStateCheck.MAX_ATTEMPTS;
    RunReport unreachable = RunReport.builder().program("plan").outcome(Outcome.CONNECTION_FAILED)
        .message("cannot connect to orders-db:5432: too many connections").build();

    Decided step = lifecycle.next(observed(r, finished(r, unreachable, true)));

    assertThat(step.status().phase).isEqualTo(Phase.Failed);
    assertThat(ready(step.status()).getReason()).isEqualTo(Reason.DATABASE_UNREACHABLE);
    assertThat(ready(step.status()).getMessage()).contains("attempt 4 of 4", "too many connections");
  }

  @Test
  void aPlanJobKilledWithoutAReportOrDeletedIsTriedAgain() {
    MigrationRequest r = request();
    r.setStatus(lifecycle.next(observed(r, PlanRun.none())).status());
    PlanRun killed = finished(r, RunReport.builder().program("plan").outcome(Outcome.CONNECTION_FAILED).message("x").build(), true);
    killed.pod().get().getStatus().getContainerStatuses().get(0).getState().getTerminated().setMessage("");
    killed.pod().get().getStatus().getContainerStatuses().get(0).getState().getTerminated().setExitCode(137);

    Decided noReport = lifecycle.next(observed(r, killed));
    assertThat(ready(noReport.status()).getReason()).isEqualTo(Reason.PLAN_RETRYING);
    assertThat(noReport.status().plan.check.failedAttempts).singleElement()
        .satisfies(a -> assertThat(a.reason).isEqualTo(Reason.REPORT_MISSING));

    MigrationRequest other = request();
    other.setStatus(lifecycle.next(observed(other, PlanRun.none())).status());
    other.getStatus().plan.check.jobUid = "plan-job-uid";
    Decided deleted = lifecycle.next(observed(other, PlanRun.none()));
    assertThat(ready(deleted.status()).getReason()).isEqualTo(Reason.PLAN_RETRYING);
    assertThat(deleted.status().plan.check.failedAttempts).singleElement()
        .satisfies(a -> assertThat(a.reason).isEqualTo(Reason.PLAN_FAILED));
  }

  @Test
  void theApproverIsShownWhatWillBeAppliedAndTheDigestCoversTheDatabaseState() {
    MigrationRequest r = request();
    Decided step = checked(r, plan(V2_PENDING, List.of()));

    MigrationRequestStatus status = step.status();
    assertThat(status.phase).isEqualTo(Phase.AwaitingApproval);
    assertThat(ready(status).getMessage())
        .contains("will apply V2 to orders at orders-db:5432, now at version 1");
    assertThat(status.plan.check.state).isEqualTo(STATE.toString());
    assertThat(status.plan.check.pendingTotal).isEqualTo(1);
    assertThat(status.plan.check.product).isEqualTo("PostgreSQL 17.6");
    assertThat(status.plan.check.evidence.configMap).isEqualTo("orders-plan-evidence-q1");
    assertThat(status.plan.digest).isEqualTo(PlannedState.approvalDigest(status.plan.scriptsDigest, STATE))
        .isNotEqualTo(status.plan.scriptsDigest);
  }

  @Test
  void theRunIsToldTheScriptsDigestAndThePlannedStateToFindAtLaunch() throws Exception {
    MigrationRequest r = request();
    r.setStatus(checked(r, plan(V2_PENDING, List.of())).status());
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");

    Decided launch = lifecycle.next(observed(r, PlanRun.none()));

    assertThat(launch.action()).isInstanceOf(Action.LaunchJob.class);
    r.setStatus(launch.status());
    RunnerCommand command = RunnerCommandParser.parse(JOBS.build(r).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
    assertThat(command.expectedDigest()).contains(launch.status().plan.scriptsDigest);
    assertThat(command.expectedState()).contains(STATE);
  }

  @Test
  void driftOrAFailedMigrationStopsTheRequestNamingTheScript() {
    Decided step = checked(request(), plan(V2_PENDING, List.of(
        new RunReport.Finding("CHECKSUM_DRIFT", "1", "V1__create_orders.sql", "checksum mismatch"))));

    assertThat(step.status().phase).isEqualTo(Phase.Failed);
    assertThat(ready(step.status()).getReason()).isEqualTo(Reason.PLAN_FINDINGS);
    assertThat(ready(step.status()).getMessage()).contains("V1__create_orders.sql changed since it was applied");
  }

  @Test
  void aDatabaseWithNothingPendingEndsWithoutARunOrAnApproval() {
    Decided step = checked(request(), plan(List.of(), List.of()));

    assertThat(step.status().phase).isEqualTo(Phase.Succeeded);
    assertThat(ready(step.status()).getReason()).isEqualTo(Reason.NOTHING_TO_APPLY);
    assertThat(step.status().job).isNull();
  }

  @Test
  void anImageSourcesPlanSaysItsScriptsWereNotReadAndItsDigestCoversTheImageAndTheDatabase() {
    MigrationRequest r = request();
    String image = "registry.test/orders-migrations@sha256:" + "b".repeat(64);
    r.getSpec().migrations.configMap = null;
    r.getSpec().migrations.image = new io.migrationgate.api.v1alpha1.ImageSource();
    r.getSpec().migrations.image.ref = image;
    RunReport.RiskFinding notOpened = new RunReport.RiskFinding("not-analysed", "high", image, null,
        "not analysed: image source, not opened before approval", "read the image's scripts yourself", null);
    // what plan --scripts-image reports: the database, no pending scripts (not "none")
    RunReport report = RunReport.builder().program("plan").outcome(Outcome.SUCCEEDED).message("scripts: in image")
        .databaseProduct("PostgreSQL").databaseVersion("17.6").historyTableExists(true)
        .plannedState(STATE.toString()).history(AT_V1).findings(List.of())
        .risk(io.migrationgate.contract.RiskLevel.HIGH, REVIEW_DIGEST, List.of(notOpened)).build();

    Decided step = checked(r, report);

    MigrationRequestStatus status = step.status();
    assertThat(status.phase).as("never NothingToApply: what the image holds is unknown").isEqualTo(Phase.AwaitingApproval);
    assertThat(status.plan.check.pendingTotal).isNull();
    assertThat(ready(status).getMessage()).contains("will apply the scripts in image " + image
        + ", not read before approval (the approval pins its digest), to orders at orders-db:5432; read before"
        + " approval: the database only, now at version 1; risk high: not-analysed " + image);
    assertThat(status.plan.digest).as("the image's digest, the database state and the review")
        .isEqualTo(PlannedState.approvalDigest("sha256:" + "b".repeat(64), STATE, REVIEW_DIGEST));
  }

  @Test
  void aLoginTheDatabaseRefusesFailsTheRequestAtOnceWithTheRunnersReason() {
    RunReport refused = RunReport.builder().program("plan").outcome(Outcome.CREDENTIALS_REFUSED)
        .message("cannot connect to orders-db:5432: password authentication failed (SQL state 28P01)").build();
    Decided step = checked(request(), refused);

    assertThat(step.status().phase).isEqualTo(Phase.Failed);
    assertThat(ready(step.status()).getReason()).isEqualTo(Reason.CREDENTIALS_REFUSED);
    assertThat(ready(step.status()).getMessage()).contains("password authentication failed");
    assertThat(step.status().plan.check.failedAttempts).as("not retried").isEmpty();
  }

  @Test
  void anApprovalWrittenWhileTheDatabaseWasReadPredatesThePlan() {
    MigrationRequest r = request();
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");

    Decided step = checked(r, plan(V2_PENDING, List.of()));

    assertThat(step.status().phase).isEqualTo(Phase.AwaitingApproval);
    assertThat(step.status().conditions).anyMatch(c -> Reason.APPROVAL_PREDATES_PLAN.equals(c.getReason()));
  }

  @Test
  void aReplanReadsTheDatabaseAgainAndVoidsTheApprovalsBeforeIt() {
    MigrationRequest r = request();
    r.setStatus(checked(r, plan(V2_PENDING, List.of())).status());
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    r.getMetadata().getAnnotations().put(Annotations.REPLAN, "after-hotfix");

    // The reconciler still sees the first plan's Job, found by the name status held.
    Decided step = lifecycle.next(observed(r, finished(r, plan(V2_PENDING, List.of()), true)));

    assertThat(step.status().plan.check.replans).isEqualTo(1);
    assertThat(step.status().plan.check.job).endsWith("-check-2");
    assertThat(step.status().plan.digest).isNull();
    assertThat(step.status().approval).isNull();
    assertThat(step.action()).isInstanceOf(Action.LaunchPlanJob.class);
    assertThat(TransitionEvents.between(r.getStatus(), step.status()))
        .anyMatch(e -> Reason.REPLANNED.equals(e.reason()));
  }

  @Test
  void replansAreBounded() {
    MigrationRequest r = request();
    r.setStatus(checked(r, plan(V2_PENDING, List.of())).status());
    r.getStatus().plan.check.replans = DatabaseStateCheck.MAX_REPLANS;
    r.getMetadata().getAnnotations().put(Annotations.REPLAN, "once-more");

    Decided step = lifecycle.next(observed(r, PlanRun.none()));

    assertThat(step.status().plan.check.replans).isEqualTo(DatabaseStateCheck.MAX_REPLANS);
    assertThat(step.status().phase).isEqualTo(Phase.AwaitingApproval);
    assertThat(step.action()).as("no fresh plan Job").isInstanceOf(Action.None.class);
    assertThat(ready(step.status()).getReason()).isEqualTo(Reason.REPLAN_LIMIT);
    assertThat(ready(step.status()).getMessage()).contains("replan=once-more", "had 3", "the plan shown stands");
    assertThat(step.status().conditions).as("the approver still reads how to approve")
        .anyMatch(c -> Conditions.APPROVED.equals(c.getType()) && Reason.AWAITING_APPROVAL.equals(c.getReason()));
    assertThat(TransitionEvents.between(r.getStatus(), step.status())).as("said once, as the change it is")
        .anyMatch(e -> Reason.REPLAN_LIMIT.equals(e.reason()));

    r.setStatus(step.status());
    r.getMetadata().getAnnotations().remove(Annotations.REPLAN);
    assertThat(ready(lifecycle.next(observed(r, PlanRun.none())).status()).getReason()).isEqualTo(Reason.AWAITING_APPROVAL);
  }

  @Test
  void aRequestThatForbidsConnectingBeforeApprovalGetsAScriptsOnlyPlanMarkedAsSuch() {
    MigrationRequest r = request();
    r.getSpec().connectBeforeApproval = false;

    Decided step = lifecycle.next(observed(r, PlanRun.none()));

    assertThat(step.status().phase).isEqualTo(Phase.AwaitingApproval);
    assertThat(step.status().plan.check.mode).isEqualTo(DatabaseCheck.SCRIPTS_ONLY);
    assertThat(step.status().plan.digest).isEqualTo(step.status().plan.scriptsDigest);
    assertThat(ready(step.status()).getMessage()).contains("scripts-only plan", "database was not consulted");
  }

  private static final String REVIEW_DIGEST = "sha256:" + "e".repeat(64);

  private static RunReport reviewed(RunReport.RiskFinding... findings) {
    return RunReport.builder().program("plan").outcome(Outcome.SUCCEEDED).message("planned")
        .databaseProduct("PostgreSQL").databaseVersion("17.6").historyTableExists(true)
        .plannedState(STATE.toString()).history(AT_V1).pending(V2_PENDING).findings(List.of())
        .risk(io.migrationgate.contract.RiskLevel.of(List.of(findings)), REVIEW_DIGEST, List.of(findings)).build();
  }

  private static RunReport.RiskFinding finding(String rule, String severity, int line, String suppressed) {
    return new RunReport.RiskFinding(rule, severity, "V2__add_status.sql", line, rule + " at " + line, "do it safely",
        suppressed);
  }

  @Test
  void theApproverIsShownTheReviewAndTheDigestCoversIt() {
    MigrationRequest r = request();
    Decided step = checked(r, reviewed(finding("drop-table", "destructive", 2, "moved to V1's archive"),
        finding("pg-index-without-concurrently", "high", 3, null), finding("pg-missing-lock-timeout", "low", 3, null)));

    MigrationRequestStatus status = step.status();
    assertThat(status.phase).isEqualTo(Phase.AwaitingApproval);
    assertThat(status.plan.risk.level).isEqualTo("high");
    assertThat(status.plan.risk.findingsTotal).isEqualTo(3);
    assertThat(status.plan.risk.findings).extracting(f -> f.rule, f -> f.suppressed)
        .as("those that stand first").containsExactly(
            org.assertj.core.groups.Tuple.tuple("pg-index-without-concurrently", null),
            org.assertj.core.groups.Tuple.tuple("pg-missing-lock-timeout", null),
            org.assertj.core.groups.Tuple.tuple("drop-table", "moved to V1's archive"));
    assertThat(ready(status).getMessage()).contains("now at version 1; risk high: pg-index-without-concurrently "
        + "V2__add_status.sql:3, pg-missing-lock-timeout V2__add_status.sql:3; 1 allowed by the scripts' comments");
    assertThat(status.plan.digest).isEqualTo(PlannedState.approvalDigest(status.plan.scriptsDigest, STATE, REVIEW_DIGEST))
        .isNotEqualTo(PlannedState.approvalDigest(status.plan.scriptsDigest, STATE));
  }

  @Test
  void findingsTheDataChecksSayWillFailAreNamedFirstInTheApproversMessage() {
    RunReport.RiskFinding lock = finding("pg-index-without-concurrently", "high", 1, null);
    RunReport.RiskFinding unique = new RunReport.RiskFinding("data-unique", "high", "V2__add_status.sql", 4,
        "fails if orders already holds duplicate (code) values; will fail: 3 duplicate values of (code) in orders",
        "find and resolve duplicates in an earlier script", null);

    MigrationRequestStatus status = checked(request(), reviewed(lock, finding("pg-missing-lock-timeout", "low", 1, null),
        finding("pg-set-not-null", "high", 2, null), unique)).status();

    assertThat(status.plan.risk.findings).extracting(f -> f.message).contains(unique.message());
    assertThat(ready(status).getMessage()).contains("; risk high: data-unique V2__add_status.sql:4 will fail, "
        + "pg-index-without-concurrently V2__add_status.sql:1, pg-missing-lock-timeout V2__add_status.sql:1, ...");
  }

  @Test
  void aLongReviewIsBoundedInStatusWithItsTotal() {
    RunReport.RiskFinding[] many = new RunReport.RiskFinding[PlanJobReports.RISK_FINDINGS_SHOWN + 5];
    for (int i = 0; i < many.length; i++) {
      many[i] = finding("update-without-where", "destructive", i + 1, null);
    }
    io.migrationgate.api.v1alpha1.PlanStatus full = new io.migrationgate.api.v1alpha1.PlanStatus();
    PlanJobReports.recordRisk(full, reviewed(many));
    assertThat(full.risk.findings).hasSize(PlanJobReports.RISK_FINDINGS_SHOWN);

    // through the pod's termination message, which the compactor fits into 4 KiB
    MigrationRequestStatus status = checked(request(), reviewed(many)).status();
    assertThat(status.plan.risk.findings).hasSizeLessThanOrEqualTo(PlanJobReports.RISK_FINDINGS_SHOWN);
    assertThat(status.plan.risk.findingsTotal).isEqualTo(many.length);
    assertThat(status.plan.risk.level).isEqualTo("destructive");
    assertThat(ready(status).getMessage()).contains("; risk destructive: update-without-where V2__add_status.sql:1, "
        + "update-without-where V2__add_status.sql:2, update-without-where V2__add_status.sql:3, ...");
  }

  @Test
  void aReportWithoutAReviewLeavesNoRiskAndTheDigestOfBefore() {
    MigrationRequestStatus status = checked(request(), plan(V2_PENDING, List.of())).status();
    assertThat(status.plan.risk).isNull();
    assertThat(status.plan.digest).isEqualTo(PlannedState.approvalDigest(status.plan.scriptsDigest, STATE));
  }

  @Test
  void aReviewEditedInStatusLaunchesNothing() {
    MigrationRequest r = request();
    r.setStatus(checked(r, reviewed(finding("drop-table", "destructive", 2, null))).status());
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    // Someone rewrites the review so the approver's record says it was harmless.
    r.getStatus().plan.risk.digest = "sha256:" + "0".repeat(64);

    Decided step = lifecycle.next(observed(r, PlanRun.none()));

    assertThat(step.action()).isNotInstanceOf(Action.LaunchJob.class);
    assertThat(ready(step.status()).getReason()).isEqualTo(Reason.UNTRUSTED_STATUS);
  }

  @Test
  void aPlannedStateEditedInStatusLaunchesNothing() {
    MigrationRequest r = request();
    r.setStatus(checked(r, plan(V2_PENDING, List.of())).status());
    r.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "alice");
    r.setStatus(lifecycle.next(observed(r, PlanRun.none())).status());
    // Someone rewrites the state so the run would not notice a moved database.
    r.getStatus().plan.check.state = PlannedState.of("2", List.of()).toString();
    r.getStatus().job = null;

    Decided step = lifecycle.next(observed(r, PlanRun.none()));

    assertThat(step.action()).isNotInstanceOf(Action.LaunchJob.class);
    assertThat(ready(step.status()).getReason()).isEqualTo(Reason.UNTRUSTED_STATUS);
  }
}
