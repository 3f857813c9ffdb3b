package io.migrationgate.operator;

import io.migrationgate.operator.lifecycle.JobFactory;
import io.migrationgate.operator.lifecycle.OwnedLabels;
import io.migrationgate.operator.lifecycle.TrustedObjects;
import io.migrationgate.operator.runtime.HealthServer;
import io.migrationgate.operator.runtime.OperatorFactory;
import io.migrationgate.operator.runtime.OperatorConfig;
import static io.migrationgate.api.v1alpha1.Annotations.APPROVED_BY;
import static io.migrationgate.api.v1alpha1.Annotations.APPROVED_DIGEST;
import static io.migrationgate.api.v1alpha1.Annotations.REJECTED_BY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.migrationgate.api.v1alpha1.Annotations;
import io.migrationgate.api.v1alpha1.Conditions;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RunReport;
import io.migrationgate.contract.ScriptsDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real Operator against fabric8's CRUD mock API server. There is no Job controller or kubelet
 * here: the tests play their part by writing Job and Pod status, as those controllers would.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorMockServerTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  private static final String STAGING = "staging";
  private static final String PROD = "payments-prod";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private Operator operator;

  @BeforeEach
  void startOperator() {
    server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(MigrationRequest.class));
    client.resource(new NamespaceBuilder().withNewMetadata().withName(STAGING)
        .withLabels(Map.of("environment", "staging")).endMetadata().build()).createOr(r -> r.update());
    client.resource(new NamespaceBuilder().withNewMetadata().withName(PROD)
        .withLabels(Map.of("environment", "production")).endMetadata().build()).createOr(r -> r.update());
    operator = startNewOperator();
  }

  @AfterEach
  void stopOperator() {
    operator.stop();
    JobControllerPlay.clear(client);
  }

  private Operator startNewOperator() {
    return startNewOperator("1s");
  }

  private Operator startNewOperator(String recheckInterval) {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
        "MG_RUNNER_IMAGE", "example.test/migration-gate:test",
        "MG_RECHECK_INTERVAL", recheckInterval,
        // No kubelet here runs plan Jobs; the database plan is tested in DatabaseStateCheckTest and DatabasePlanIT.
        "MG_DATABASE_PLAN", "false",
        // These requests carry their database inline (Requests); TargetMockServerTest runs MigrationTargets.
        "MG_INLINE_DATABASES", "true"));
    Operator started = OperatorFactory.create(client, config, Clock.systemUTC(), new SimpleMeterRegistry());
    started.start();
    return started;
  }

  @Test
  void requestWithoutSourceWaitsPendingThenPlansWhenTheSourceAppears() {
    create(Requests.request(STAGING, "orders-1"));
    MigrationRequest pending = awaitPhase(STAGING, "orders-1", Phase.Pending);
    assertThat(condition(pending, Conditions.PLANNED).getReason()).isEqualTo(Reason.SOURCE_NOT_FOUND);
    assertThat(condition(pending, Conditions.READY).getStatus()).isEqualTo("False");

    client.resource(Requests.scripts(STAGING)).create();
    MigrationRequest planned = awaitPhase(STAGING, "orders-1", Phase.AwaitingApproval);
    assertThat(planned.getStatus().plan.digest).startsWith("sha256:");
    assertThat(planned.getStatus().plan.scripts).extracting(s -> s.version).containsExactly("1", "2");
    var snapshot = client.configMaps().inNamespace(STAGING).withName(planned.getStatus().plan.snapshot).get();
    assertThat(snapshot.getImmutable()).isTrue();
    assertThat(snapshot.getData()).isEqualTo(Requests.SCRIPTS);
    assertThat(jobs(STAGING)).isEmpty();
  }

  @Test
  void approvalLaunchesExactlyOneRestrictedJobAndSuccessMakesItReady() {
    MigrationRequest planned = awaitingApproval(STAGING, "orders-2");

    annotate(STAGING, "orders-2", Map.of(APPROVED_BY, "alice"));
    MigrationRequest running = awaitPhase(STAGING, "orders-2", Phase.Running);
    assertThat(running.getStatus().approval.approvedBy).isEqualTo("alice");
    assertThat(running.getStatus().approval.requestedBy).isEqualTo("rita");
    assertThat(running.getStatus().approval.digest).isEqualTo(planned.getStatus().plan.digest);

    Job job = await().atMost(WAIT).until(() -> jobs(STAGING), l -> l.size() == 1).get(0);
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(900L);
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getVolumes().get(0).getConfigMap().getName()).isEqualTo(planned.getStatus().plan.snapshot);
    assertThat(pod.getContainers().get(0).getArgs())
        .contains("--expected-digest=" + planned.getStatus().plan.digest, "--url=" + Requests.DB_URL);
    assertThat(job.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(planned.getMetadata().getUid());

    String fullReport = Reports.succeeded(2);
    server.expect().get()
        .withPath("/api/v1/namespaces/" + STAGING + "/pods/" + job.getMetadata().getName() + "-pod/log?pretty=false&container=runner&tailLines=200&limitBytes=786432")
        .andReturn(200, "migration-gate: connected to PostgreSQL 17.6\n" + RunReport.STDOUT_MARKER + fullReport + "\n")
        .always();
    finishJob(job, true, 0, fullReport);
    MigrationRequest done = awaitPhase(STAGING, "orders-2", Phase.Succeeded);
    assertThat(condition(done, Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(done.getStatus().result.outcome).isEqualTo("SUCCEEDED");
    assertThat(done.getStatus().result.schemaVersionAfter).isEqualTo("2");
    assertThat(done.getStatus().result.applied).extracting(a -> a.script).containsExactly("V1__step.sql", "V2__step.sql");
    assertThat(done.getStatus().result.verification).singleElement().satisfies(v -> assertThat(v.passed).isTrue());
    assertThat(done.getStatus().evidence.configMap).isNotBlank();
    var evidence = client.configMaps().inNamespace(STAGING).withName(done.getStatus().evidence.configMap).get();
    assertThat(evidence.getImmutable()).isTrue();
    assertThat(done.getStatus().evidence.configMapUid).isEqualTo(evidence.getMetadata().getUid());
    assertThat(done.getStatus().evidence.digest).isEqualTo(ScriptsDigest.of(evidence.getData()));
    assertThat(evidence.getData()).containsEntry("report.json", fullReport).containsKey("termination-message");
    assertThat(evidence.getData().get("log-tail")).contains("connected to PostgreSQL").doesNotContain(RunReport.STDOUT_MARKER);
    assertThat(jobs(STAGING)).hasSize(1);
    // The AwaitingApproval Event names the plan's digest, so no PlanRecorded Event says it again.
    assertThat(eventReasons(STAGING, "orders-2"))
        .contains(Reason.AWAITING_APPROVAL, Reason.APPROVED, Reason.JOB_CREATED, Reason.MIGRATION_SUCCEEDED)
        .doesNotContain(Reason.PLAN_RECORDED);
  }

  @Test
  void anUnexpectedFailureShowsOnTheRequestAndGoesOnceAReconcileSucceeds() {
    awaitingApproval(STAGING, "orders-flaky");
    server.expect().post().withPath("/apis/batch/v1/namespaces/" + STAGING + "/jobs")
        // Not a refusal that proves nothing was created, and not one the client retries by itself.
        .andReturn(401, new io.fabric8.kubernetes.api.model.StatusBuilder().withStatus("Failure").withCode(401)
            .withMessage("Unauthorized: the token has expired").build())
        .times(2);

    annotate(STAGING, "orders-flaky", Map.of(APPROVED_BY, "alice"));

    MigrationRequest failing = await().atMost(WAIT).until(() -> get(STAGING, "orders-flaky"),
        r -> r.getStatus().conditions.stream().anyMatch(c -> Conditions.RECONCILE_ERROR.equals(c.getType())));
    var error = condition(failing, Conditions.RECONCILE_ERROR);
    assertThat(error.getStatus()).isEqualTo("True");
    assertThat(error.getReason()).isEqualTo(Reason.API_SERVER_ERROR);
    assertThat(error.getMessage()).contains("401", "the token has expired");

    MigrationRequest recovered = await().atMost(WAIT).until(() -> get(STAGING, "orders-flaky"),
        r -> r.getStatus().conditions.stream().noneMatch(c -> Conditions.RECONCILE_ERROR.equals(c.getType())));
    assertThat(recovered.getStatus().phase).isEqualTo(Phase.Running);
    await().atMost(WAIT).until(() -> jobs(STAGING), l -> l.size() == 1);
  }

  @Test
  void withTheDatabasePlanOnAPlanJobReportsFirstAndTheRunIsToldTheStateToFind() throws Exception {
    operator.stop();
    operator = OperatorFactory.create(client, OperatorConfig.fromEnvironment(Map.of(
        "MG_RUNNER_IMAGE", "example.test/migration-gate:test", "MG_RECHECK_INTERVAL", "1s", "MG_INLINE_DATABASES", "true")),
        Clock.systemUTC(), new SimpleMeterRegistry());
    operator.start();
    client.resource(Requests.scripts(STAGING)).createOr(r -> r.update());
    create(Requests.request(STAGING, "orders-plan"));

    Job plan = await().atMost(WAIT).until(() -> jobsOf(STAGING, "orders-plan"), l -> l.size() == 1).get(0);
    assertThat(plan.getMetadata().getName()).endsWith("-check-1");
    assertThat(plan.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand()).endsWith("plan");
    assertThat(get(STAGING, "orders-plan").getStatus().phase).isEqualTo(Phase.Pending);

    io.migrationgate.contract.PlannedState state = io.migrationgate.contract.PlannedState.of(null, List.of());
    finishJob(plan, true, 0, io.migrationgate.contract.RunReport.builder().program("plan")
        .outcome(io.migrationgate.contract.Outcome.SUCCEEDED).message("2 pending").databaseProduct("PostgreSQL")
        .plannedState(state.toString()).pending(List.of(
            new io.migrationgate.contract.RunReport.PendingMigration("1", "create orders", "V1__create_orders.sql", 1),
            new io.migrationgate.contract.RunReport.PendingMigration("2", "add status", "V2__add_status.sql", 2)))
        .build().toCompactJson(4096));

    MigrationRequest awaiting = awaitPhase(STAGING, "orders-plan", Phase.AwaitingApproval);
    assertThat(condition(awaiting, Conditions.READY).getMessage())
        .contains("will apply V1, V2 to orders at orders-db:5432, now at no applied migration");
    var planEvidence = client.configMaps().inNamespace(STAGING)
        .withName(awaiting.getStatus().plan.check.evidence.configMap).get();
    assertThat(planEvidence.getData()).containsKey("termination-message");
    assertThat(awaiting.getStatus().plan.check.evidence.configMapUid).isEqualTo(planEvidence.getMetadata().getUid());
    assertThat(awaiting.getStatus().plan.check.evidence.digest).isEqualTo(ScriptsDigest.of(planEvidence.getData()));
    await().atMost(WAIT).until(() -> client.resource(plan).get().getMetadata().getFinalizers().isEmpty());

    annotate(STAGING, "orders-plan", Map.of(APPROVED_BY, "alice", APPROVED_DIGEST, awaiting.getStatus().plan.digest));
    Job run = await().atMost(WAIT).until(() -> jobsOf(STAGING, "orders-plan"), l -> l.size() == 2).stream()
        .filter(j -> j.getMetadata().getName().endsWith("-run")).findFirst().orElseThrow();
    assertThat(run.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains("--expected-state=" + state, "--expected-digest=" + awaiting.getStatus().plan.scriptsDigest);
  }

  @Test
  void failedJobFailsTheRequestWithTheRunnersMessage() {
    MigrationRequest running = approvedAndRunning(STAGING, "orders-3", Requests.DB_URL);
    finishJob(jobs(STAGING).get(0), false, 13, Reports.compact(
        Outcome.MIGRATION_FAILED, "V2__add_status.sql line 1: syntax error at or near \"colum\"", "1", 1));
    MigrationRequest failed = awaitPhase(STAGING, running.getMetadata().getName(), Phase.Failed);
    assertThat(condition(failed, Conditions.FAILED).getReason()).isEqualTo(Reason.MIGRATION_FAILED);
    assertThat(condition(failed, Conditions.FAILED).getMessage()).contains("V2__add_status.sql line 1");
    assertThat(failed.getStatus().result.exitCode).isEqualTo(13);
    assertThat(failed.getStatus().result.schemaVersionAfter).isEqualTo("1");
    assertThat(condition(failed, Conditions.READY).getStatus()).isEqualTo("False");
  }

  @Test
  void failedVerificationFailsTheRequestAsVerificationFailed() {
    approvedAndRunning(STAGING, "orders-19", Requests.DB_URL);
    finishJob(jobs(STAGING).get(0), false, 14, Reports.compact(
        Outcome.VERIFICATION_FAILED, "verify 'status column exists' expected 1 but got 0", "2", 2));
    MigrationRequest failed = awaitPhase(STAGING, "orders-19", Phase.Failed);
    assertThat(condition(failed, Conditions.FAILED).getReason()).isEqualTo(Reason.VERIFICATION_FAILED);
    assertThat(failed.getStatus().result.verification).singleElement().satisfies(v -> {
      assertThat(v.passed).isFalse();
      assertThat(v.actual).isEqualTo("0");
    });
  }

  @Test
  void malformedOrMissingReportStillEndsTheRequestWithAReason() {
    approvedAndRunning(STAGING, "orders-20", Requests.DB_URL);
    finishJob(jobs(STAGING).get(0), false, 1, "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space");
    MigrationRequest failed = awaitPhase(STAGING, "orders-20", Phase.Failed);
    assertThat(condition(failed, Conditions.FAILED).getReason()).isEqualTo(Reason.REPORT_MISSING);
    assertThat(failed.getStatus().result.message).contains("no report", "OutOfMemoryError");
    assertThat(failed.getStatus().result.exitCode).isEqualTo(1);
  }

  @Test
  void rejectionIsFinalAndNeverLaunches() {
    awaitingApproval(STAGING, "orders-4");
    annotate(STAGING, "orders-4", Map.of(REJECTED_BY, "alice"));
    awaitPhase(STAGING, "orders-4", Phase.Rejected);
    annotate(STAGING, "orders-4", Map.of(APPROVED_BY, "bob"));
    assertStaysWithoutJob(STAGING, "orders-4", Phase.Rejected);
  }

  @Test
  void selfApprovalIsNotAnApproval() {
    awaitingApproval(STAGING, "orders-5");
    annotate(STAGING, "orders-5", Map.of(APPROVED_BY, "rita"));
    await().atMost(WAIT).until(() -> reason(STAGING, "orders-5", Conditions.APPROVED), Reason.SELF_APPROVAL::equals);
    assertStaysWithoutJob(STAGING, "orders-5", Phase.AwaitingApproval);
  }

  @Test
  void approvalPinnedToAnotherDigestIsNotAnApproval() {
    awaitingApproval(STAGING, "orders-6");
    annotate(STAGING, "orders-6", Map.of(APPROVED_BY, "alice", APPROVED_DIGEST, "sha256:" + "0".repeat(64)));
    await().atMost(WAIT).until(() -> reason(STAGING, "orders-6", Conditions.APPROVED), Reason.DIGEST_MISMATCH::equals);
    assertStaysWithoutJob(STAGING, "orders-6", Phase.AwaitingApproval);
  }

  /** With inline databases on, a URL is refused when it is a production target's database, in any spelling. */
  @Test
  void anInlineDatabaseThatIsAProductionTargetsIsBlockedEvenWhenApproved() {
    MigrationTarget production = Requests.target("orders-production", "shop", true);
    production.getSpec().database.url = "jdbc:postgresql://orders-db." + STAGING + ".svc.cluster.local/orders";
    client.resource(production).create();
    client.resource(Requests.scripts(STAGING)).create();
    MigrationRequest request = Requests.request(STAGING, "orders-inline-prod");
    request.getMetadata().getAnnotations().put(APPROVED_BY, "alice");
    create(request);
    MigrationRequest blocked = awaitPhase(STAGING, "orders-inline-prod", Phase.Blocked);
    assertThat(condition(blocked, Conditions.BLOCKED).getReason()).isEqualTo(Reason.PRODUCTION_TARGET);
    assertThat(condition(blocked, Conditions.BLOCKED).getMessage()).contains("MigrationTarget orders-production");
    assertStaysWithoutJob(STAGING, "orders-inline-prod", Phase.Blocked);
    client.resource(production).delete();
  }

  @Test
  void productionNamespaceIsBlockedEvenWhenApproved() {
    client.resource(Requests.scripts(PROD)).create();
    MigrationRequest request = Requests.request(PROD, "orders-7");
    request.getMetadata().getAnnotations().put(APPROVED_BY, "alice");
    create(request);
    MigrationRequest blocked = awaitPhase(PROD, "orders-7", Phase.Blocked);
    assertThat(condition(blocked, Conditions.BLOCKED).getReason()).isEqualTo(Reason.PRODUCTION_NAMESPACE);
    assertThat(blocked.getStatus().plan).isNull();
    assertStaysWithoutJob(PROD, "orders-7", Phase.Blocked);
  }

  @Test
  void labellingTheNamespaceProductionAfterCreationBlocksAndRemovingTheLabelResumes() {
    client.resource(new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata().build()).create();
    client.resource(Requests.scripts("team-a")).create();
    create(Requests.request("team-a", "orders-8"));
    MigrationRequest planned = awaitPhase("team-a", "orders-8", Phase.AwaitingApproval);

    relabel("team-a", Map.of("environment", "production"));
    awaitPhase("team-a", "orders-8", Phase.Blocked);
    annotate("team-a", "orders-8", Map.of(APPROVED_BY, "alice", APPROVED_DIGEST, planned.getStatus().plan.digest));
    assertStaysWithoutJob("team-a", "orders-8", Phase.Blocked);

    relabel("team-a", Map.of("environment", "staging"));
    awaitPhase("team-a", "orders-8", Phase.Running);
    assertThat(jobs("team-a")).hasSize(1);
  }

  @Test
  void approvalRemovedAfterLatchStillRunsOnce() {
    MigrationRequest running = approvedAndRunning(STAGING, "orders-9", Requests.DB_URL);
    removeAnnotation(STAGING, "orders-9", APPROVED_BY);
    finishJob(jobs(STAGING).get(0), true, 0, Reports.succeeded(2));
    MigrationRequest done = awaitPhase(STAGING, "orders-9", Phase.Succeeded);
    assertThat(done.getStatus().approval.approvedBy).isEqualTo("alice");
    assertThat(done.getStatus().approval.recordedAt).isEqualTo(running.getStatus().approval.recordedAt);
    assertThat(jobs(STAGING)).hasSize(1);
  }

  @Test
  void twoApprovedRequestsOnOneDatabaseNeverRunTwoJobsAtOnceAndTheSecondStartsWhenTheFirstEnds() {
    operator.stop();
    operator = startNewOperator("60s");
    client.resource(Requests.scripts(STAGING)).create();
    client.resource(Requests.scripts("team-b-" + "x".substring(0, 0) + "ns")).createOr(r -> r.update());
    client.resource(new NamespaceBuilder().withNewMetadata().withName("team-b-ns").endMetadata().build()).createOr(r -> r.update());
    // Same database spelt two ways, in two namespaces.
    create(Requests.request(STAGING, "first", "jdbc:postgresql://ORDERS-DB/orders?sslmode=require"));
    create(Requests.request("team-b-ns", "second", "jdbc:postgresql://orders-db:5432/orders"));
    awaitPhase(STAGING, "first", Phase.AwaitingApproval);
    awaitPhase("team-b-ns", "second", Phase.AwaitingApproval);
    annotate(STAGING, "first", Map.of(APPROVED_BY, "alice"));
    annotate("team-b-ns", "second", Map.of(APPROVED_BY, "alice"));

    await().atMost(WAIT).until(() -> allJobs().size() == 1
        && (phase(STAGING, "first") == Phase.Queued || phase("team-b-ns", "second") == Phase.Queued));
    MigrationRequest queued = phase(STAGING, "first") == Phase.Queued ? get(STAGING, "first") : get("team-b-ns", "second");
    assertThat(condition(queued, Conditions.READY).getReason()).isEqualTo(Reason.WAITING_FOR_DATABASE);
    await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> allJobs().size() == 1);

    finishJob(allJobs().get(0), true, 0, Reports.succeeded(2));
    // Woken when the database frees, not at the 60 s recheck.
    await().atMost(Duration.ofSeconds(10)).until(() -> allJobs().size() == 2);
    awaitPhase(queued.getMetadata().getNamespace(), queued.getMetadata().getName(), Phase.Running);
  }

  @Test
  void operatorRestartedBetweenJobCreationAndStatusWriteAdoptsTheJob() {
    MigrationRequest running = approvedAndRunning(STAGING, "orders-10", Requests.DB_URL);
    Job job = jobs(STAGING).get(0);
    operator.stop();
    // Roll status back to the launch marker alone, as if the operator died right after creating the Job.
    running.getStatus().job.uid = null;
    running.getStatus().job.createdAt = null;
    running.getMetadata().setResourceVersion(null);
    client.resource(running).updateStatus();

    operator = startNewOperator();
    await().atMost(WAIT).until(() -> get(STAGING, "orders-10").getStatus().job.uid != null);
    assertThat(get(STAGING, "orders-10").getStatus().job.uid).isEqualTo(job.getMetadata().getUid());
    assertThat(jobs(STAGING)).hasSize(1);
  }

  @Test
  void twoOperatorReplicasWithoutALeaderStillLaunchOneJob() {
    // Leader election normally keeps a second replica idle; even without it, the Job's
    // deterministic name leaves one Job. The mock API server lets two status writes at the same
    // resourceVersion both succeed (a real one refuses the second: FaultInjectionIT), so the two
    // replicas may write different launch tokens and the loser refuses the winner's Job: what must
    // hold here is one Job per request, never a second.
    Operator second = startNewOperator();
    try {
      for (int i = 0; i < 3; i++) {
        String name = "race-" + i;
        awaitingApproval(STAGING, name, "jdbc:postgresql://race-db-" + i + "/orders");
        annotate(STAGING, name, Map.of(APPROVED_BY, "alice"));
        await().atMost(WAIT).until(() -> jobsOf(STAGING, name).size() == 1);
      }
      await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> jobs(STAGING).size() == 3);
      assertThat(jobs(STAGING)).extracting(j -> j.getMetadata().getOwnerReferences().get(0).getName())
          .containsExactlyInAnyOrder("race-0", "race-1", "race-2");
    } finally {
      second.stop();
    }
  }

  @Test
  void withLeaderElectionOnlyTheLeaseHolderActsAndAStandbyTakesOver() {
    operator.stop();
    // JOSDK checks its Lease permissions before electing; the CRUD mock cannot review rules itself.
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus()
            .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
            .withVerbs("*").endResourceRule().endStatus().build())
        .always();
    Map<String, String> env = Map.of("MG_LEADER_ELECTION", "true", "MG_LEASE_NAME", "mg-test-leader",
        "MG_LEASE_NAMESPACE", STAGING, "MG_RECHECK_INTERVAL", "1s", "MG_EXIT_ON_LOST_LEASE", "false",
        "MG_DATABASE_PLAN", "false", "MG_INLINE_DATABASES", "true");
    Operator leader = OperatorFactory.create(client,
        OperatorConfig.fromEnvironment(with(env, "MG_LEASE_IDENTITY", "replica-a")), Clock.systemUTC(),
        new SimpleMeterRegistry());
    leader.start();
    await().atMost(WAIT).until(() -> client.leases().inNamespace(STAGING).withName("mg-test-leader").get() != null);
    operator = OperatorFactory.create(client,
        OperatorConfig.fromEnvironment(with(env, "MG_LEASE_IDENTITY", "replica-b")), Clock.systemUTC(),
        new SimpleMeterRegistry());
    operator.start();

    approvedAndRunning(STAGING, "orders-18", Requests.DB_URL);
    assertThat(client.leases().inNamespace(STAGING).withName("mg-test-leader").get().getSpec().getHolderIdentity())
        .isEqualTo("replica-a");

    leader.stop();
    finishJob(jobs(STAGING).get(0), true, 0, Reports.succeeded(2));
    // The standby acquires the lease once the old holder's lease expires (15 s), then records the result.
    await().atMost(Duration.ofSeconds(45)).until(() -> phase(STAGING, "orders-18") == Phase.Succeeded);
    assertThat(client.leases().inNamespace(STAGING).withName("mg-test-leader").get().getSpec().getHolderIdentity())
        .isEqualTo("replica-b");
    assertThat(jobs(STAGING)).hasSize(1);
  }

  @Test
  void planJobsOnOneDatabaseRunOneAtATimeAndAFinishedPlanHandsItsSlotOn() {
    restartWithTheDatabasePlan();
    client.resource(Requests.scripts(STAGING)).createOr(r -> r.update());
    for (int i = 0; i < 3; i++) {
      create(Requests.request(STAGING, "line-" + i, "jdbc:postgresql://line-db/orders"));
    }
    await().atMost(WAIT).until(() -> jobs(STAGING).size() == 1);
    await().atMost(WAIT).until(() -> java.util.stream.IntStream.range(0, 3).mapToObj(i -> "line-" + i)
        .filter(n -> Reason.WAITING_FOR_PLAN_SLOT.equals(reason(STAGING, n, Conditions.READY))).count() == 2);
    Job first = jobs(STAGING).get(0);
    assertThat(first.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsKey(OwnedLabels.LAUNCH_TOKEN);

    finishJob(first, true, 0, Reports.plan(2));

    // Woken when the slot frees, not at the 30 s recheck (20 s: under a loaded machine's CI 10 s was missed once).
    await().atMost(Duration.ofSeconds(20)).until(() -> jobs(STAGING).size() == 2);
    String planned = first.getMetadata().getOwnerReferences().get(0).getName();
    await().atMost(WAIT).until(() -> phase(STAGING, planned) == Phase.AwaitingApproval);
    assertThat(jobs(STAGING).stream().filter(j -> j.getStatus() == null || j.getStatus().getConditions() == null
        || j.getStatus().getConditions().isEmpty())).as("one plan Job at a time on the database").hasSize(1);
  }

  @Test
  void aReplanLetsGoOfThePlanJobItSupersedesSoItsNamespaceCanBeDeleted() {
    restartWithTheDatabasePlan();
    client.resource(Requests.scripts(STAGING)).createOr(r -> r.update());
    create(Requests.request(STAGING, "replanned", "jdbc:postgresql://replan-db/orders"));
    await().atMost(WAIT).until(() -> jobs(STAGING).size() == 1);
    String first = jobs(STAGING).get(0).getMetadata().getName();
    assertThat(jobs(STAGING).get(0).getMetadata().getFinalizers()).contains(JobFactory.OUTCOME_FINALIZER);

    annotate(STAGING, "replanned", Map.of(Annotations.REPLAN, "1"));

    await().atMost(WAIT).until(() -> jobs(STAGING).size() == 2);
    await().atMost(WAIT).until(() -> client.batch().v1().jobs().inNamespace(STAGING).withName(first).get()
        .getMetadata().getFinalizers().isEmpty());
    assertThat(jobs(STAGING).stream().filter(j -> !j.getMetadata().getName().equals(first)).findFirst().orElseThrow()
        .getMetadata().getFinalizers()).as("the current plan Job is held until its outcome is recorded")
        .contains(JobFactory.OUTCOME_FINALIZER);
  }

  /** The default install: the database plan on, one plan Job per database, a recheck too slow to matter. */
  private void restartWithTheDatabasePlan() {
    operator.stop();
    operator = OperatorFactory.create(client, OperatorConfig.fromEnvironment(Map.of(
            "MG_RUNNER_IMAGE", "example.test/migration-gate:test", "MG_RECHECK_INTERVAL", "30s",
            "MG_INLINE_DATABASES", "true")),
        Clock.systemUTC(), new SimpleMeterRegistry());
    operator.start();
  }

  private static Map<String, String> with(Map<String, String> env, String key, String value) {
    Map<String, String> copy = new java.util.HashMap<>(env);
    copy.put(key, value);
    return copy;
  }

  @Test
  void jobDeletedByHandFailsTheRequestAsLostAndIsNeverRecreated() {
    approvedAndRunning(STAGING, "orders-11", Requests.DB_URL);
    await().atMost(WAIT).until(() -> get(STAGING, "orders-11").getStatus().job.uid != null);
    jobs(STAGING).forEach(OperatorMockServerTest::deleteByHand);
    MigrationRequest lost = awaitPhase(STAGING, "orders-11", Phase.Failed);
    assertThat(condition(lost, Conditions.FAILED).getReason()).isEqualTo(Reason.JOB_LOST);
    assertStaysWithoutJob(STAGING, "orders-11", Phase.Failed);
  }

  @Test
  void aJobDeletedByHandWhileItRunsIsHeldUntilItsOutcomeIsRecorded() {
    approvedAndRunning(STAGING, "orders-22", Requests.DB_URL);
    await().atMost(WAIT).until(() -> get(STAGING, "orders-22").getStatus().job.uid != null);
    Job job = jobs(STAGING).get(0);
    client.resource(JobControllerPlay.runnerPod(job, new ContainerStatusBuilder().withName(JobFactory.RUNNER_CONTAINER)
        .withNewState().withNewRunning().endRunning().endState().build(), "Running")).create();
    await().atMost(WAIT).until(() -> reason(STAGING, "orders-22", Conditions.RUNNING), Reason.JOB_RUNNING::equals);
    client.resource(job).delete();
    await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> jobs(STAGING).size() == 1
        && jobs(STAGING).get(0).getMetadata().getDeletionTimestamp() != null
        && phase(STAGING, "orders-22") == Phase.Running);
    // the Job controller concludes no deleted Job: the pod's exit code tells the outcome
    client.resource(JobControllerPlay.runnerPod(job, new ContainerStatusBuilder().withName(JobFactory.RUNNER_CONTAINER)
        .withNewState().withNewTerminated().withExitCode(0).withMessage(Reports.succeeded(2))
        .endTerminated().endState().build(), "Succeeded")).update();
    MigrationRequest done = awaitPhase(STAGING, "orders-22", Phase.Succeeded);
    assertThat(done.getStatus().result.schemaVersionAfter).isEqualTo("2");
    await().atMost(WAIT).until(() -> jobs(STAGING).isEmpty());
    assertStaysWithoutJob(STAGING, "orders-22", Phase.Succeeded);
  }

  @Test
  void aDecoyPodThatIsNotTheJobsOwnCannotStopTheJob() {
    approvedAndRunning(STAGING, "orders-23", Requests.DB_URL);
    await().atMost(WAIT).until(() -> get(STAGING, "orders-23").getStatus().job.uid != null);
    Job job = jobs(STAGING).get(0);
    Pod decoy = JobControllerPlay.runnerPod(job, new ContainerStatusBuilder().withName(JobFactory.RUNNER_CONTAINER)
        .withNewState().withNewWaiting().withReason("CreateContainerConfigError")
        .withMessage("secret \"decoy\" not found").endWaiting().endState().build(), "Pending");
    decoy.getMetadata().setName("decoy");
    decoy.getMetadata().getLabels().remove(TrustedObjects.JOB_CONTROLLER_UID);
    client.resource(decoy).create();
    await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() ->
        phase(STAGING, "orders-23") == Phase.Running && jobs(STAGING).size() == 1
            && jobs(STAGING).get(0).getMetadata().getDeletionTimestamp() == null);

    finishJob(job, true, 0, Reports.succeeded(2));
    assertThat(awaitPhase(STAGING, "orders-23", Phase.Succeeded).getStatus().job.pod).isEqualTo(job.getMetadata().getName() + "-pod");
  }

  @Test
  void deletingARequestWhileItsJobRunsWaitsForTheJobAndRecordsItsResult() {
    approvedAndRunning(STAGING, "orders-12", Requests.DB_URL);
    Job job = jobs(STAGING).get(0);
    client.resources(MigrationRequest.class).inNamespace(STAGING).withName("orders-12").delete();
    await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> get(STAGING, "orders-12") != null);
    await().atMost(WAIT).until(() -> client.v1().events().inNamespace(STAGING).list().getItems().stream()
        .filter(e -> "WaitingForJob".equals(e.getReason()))
        .anyMatch(e -> e.getCount() != null && e.getCount() >= 2));
    assertThat(eventReasons(STAGING, "orders-12")).containsOnlyOnce("WaitingForJob");

    finishJob(job, true, 0, Reports.succeeded(2));
    await().atMost(WAIT).until(() -> get(STAGING, "orders-12") == null);
    assertThat(client.configMaps().inNamespace(STAGING).list().getItems())
        .anyMatch(cm -> cm.getMetadata().getName().contains("-evidence-"));
  }

  @Test
  void deletingARequestWhoseJobWasNeverCreatedNeitherWaitsNorLaunches() {
    MigrationRequest running = approvedAndRunning(STAGING, "orders-21", Requests.DB_URL);
    operator.stop();
    // As if the operator died between writing the launch marker and creating the Job.
    jobs(STAGING).forEach(OperatorMockServerTest::deleteByHand);
    await().atMost(WAIT).until(() -> jobs(STAGING).isEmpty());
    MigrationRequest marked = get(STAGING, "orders-21");
    marked.getStatus().job.uid = null;
    marked.getMetadata().setResourceVersion(null);
    client.resource(marked).updateStatus();
    client.resource(marked).delete();

    operator = startNewOperator();
    await().atMost(WAIT).until(() -> get(STAGING, "orders-21") == null);
    assertThat(jobs(STAGING)).isEmpty();
    assertThat(running.getMetadata().getFinalizers()).isNotEmpty();
  }

  @Test
  void aMissingCredentialsSecretIsWaitedForNamingItAndTheRunGoesOnOnceItExists() {
    approvedAndRunning(STAGING, "orders-13", Requests.DB_URL);
    Job job = jobs(STAGING).get(0);
    client.resource(JobControllerPlay.runnerPod(job, new ContainerStatusBuilder().withName(JobFactory.RUNNER_CONTAINER)
        .withNewState().withNewWaiting().withReason("CreateContainerConfigError")
        .withMessage("secret \"orders-db-migrator\" not found").endWaiting().endState().build(), "Pending")).create();
    MigrationRequest waiting = await().atMost(WAIT).until(() -> get(STAGING, "orders-13"),
        r -> Reason.SECRET_NOT_FOUND.equals(condition(r, Conditions.READY).getReason()));
    assertThat(waiting.getStatus().phase).isEqualTo(Phase.Running);
    assertThat(condition(waiting, Conditions.READY).getMessage()).contains("orders-db-migrator", "spec.timeout");
    assertStaysWithJob(job);

    // The Secret appears; the kubelet starts the pod and the run ends as any run does.
    finishJob(job, true, 0, Reports.compact(io.migrationgate.contract.Outcome.SUCCEEDED, "applied 2 migrations", "2", 2));
    assertThat(awaitPhase(STAGING, "orders-13", Phase.Succeeded).getStatus().result.schemaVersionAfter).isEqualTo("2");
  }

  /** The Job the request waits on is neither deleted nor replaced for a few reconciles. */
  private void assertStaysWithJob(Job job) {
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> jobs(STAGING),
        l -> l.size() == 1 && l.get(0).getMetadata().getUid().equals(job.getMetadata().getUid())
            && l.get(0).getMetadata().getDeletionTimestamp() == null);
  }

  @Test
  void invalidSpecFailsWithAReasonAndNeverLaunches() {
    client.resource(Requests.scripts(STAGING)).create();
    MigrationRequest request = Requests.request(STAGING, "orders-14", "jdbc:postgresql://db/orders?password=hunter2");
    request.getMetadata().getAnnotations().put(APPROVED_BY, "alice");
    create(request);
    MigrationRequest failed = awaitPhase(STAGING, "orders-14", Phase.Failed);
    assertThat(condition(failed, Conditions.FAILED).getReason()).isEqualTo(Reason.INVALID_SPEC);
    assertThat(condition(failed, Conditions.FAILED).getMessage()).contains("spec.database.url");
    assertStaysWithoutJob(STAGING, "orders-14", Phase.Failed);
  }

  @Test
  void badFlywayScriptNamesKeepThePlanOpenNamingTheFile() {
    client.resource(Requests.scripts(STAGING, Map.of("V1__ok.sql", "select 1;", "add_column.sql", "x"))).create();
    create(Requests.request(STAGING, "orders-15"));
    MigrationRequest pending = awaitPhase(STAGING, "orders-15", Phase.Pending);
    await().atMost(WAIT).until(() -> reason(STAGING, "orders-15", Conditions.PLANNED), Reason.INVALID_SCRIPTS::equals);
    assertThat(condition(get(STAGING, "orders-15"), Conditions.PLANNED).getMessage()).contains("add_column.sql");
    assertThat(pending.getStatus().plan).isNull();
  }

  @Test
  void approvalSetAtCreationWithoutDigestWaitsForAFreshApproval() {
    client.resource(Requests.scripts(STAGING)).create();
    MigrationRequest request = Requests.request(STAGING, "orders-16");
    request.getMetadata().getAnnotations().put(APPROVED_BY, "alice");
    create(request);
    await().atMost(WAIT).until(() -> reason(STAGING, "orders-16", Conditions.APPROVED), Reason.APPROVAL_PREDATES_PLAN::equals);
    assertStaysWithoutJob(STAGING, "orders-16", Phase.AwaitingApproval);

    annotate(STAGING, "orders-16", Map.of(APPROVED_DIGEST, get(STAGING, "orders-16").getStatus().plan.digest));
    awaitPhase(STAGING, "orders-16", Phase.Running);
  }

  @Test
  void healthAndMetricsEndpointsAnswerOnceTheOperatorRuns() throws Exception {
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    operator.stop();
    operator = OperatorFactory.create(client, OperatorConfig.fromEnvironment(Map.of("MG_RECHECK_INTERVAL", "1s", "MG_DATABASE_PLAN", "false",
            "MG_INLINE_DATABASES", "true")),
        Clock.systemUTC(), metrics);
    operator.start();
    awaitingApproval(STAGING, "orders-17");
    try (HealthServer health = new HealthServer(0, operator, metrics)) {
      health.start();
      HttpClient http = HttpClient.newHttpClient();
      for (String path : List.of("/healthz", "/readyz")) {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + health.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
      }
      HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + health.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(scrape.body()).contains("operator_sdk_reconciliations_started_total",
          "migrationgate_requests{phase=\"AwaitingApproval\"} 1.0", "migrationgate_oldest_awaiting_approval_seconds");
    }
  }

  @Test
  void aClientThatSendsItsRequestSlowlyDoesNotHoldTheHealthCheck() throws Exception {
    try (HealthServer health = new HealthServer(0, operator, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
      health.start();
      try (Socket slow = new Socket("127.0.0.1", health.port())) {
        slow.getOutputStream().write("GET /heal".getBytes(StandardCharsets.US_ASCII));
        slow.getOutputStream().flush();
        Thread.sleep(300);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + health.port() + "/healthz")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
      }
    }
  }

  // --- helpers: what users, the Job controller and the kubelet would do ---

  private MigrationRequest awaitingApproval(String namespace, String name) {
    return awaitingApproval(namespace, name, Requests.DB_URL);
  }

  private MigrationRequest awaitingApproval(String namespace, String name, String url) {
    client.resource(Requests.scripts(namespace)).createOr(r -> r.update());
    create(Requests.request(namespace, name, url));
    return awaitPhase(namespace, name, Phase.AwaitingApproval);
  }

  private MigrationRequest approvedAndRunning(String namespace, String name, String url) {
    awaitingApproval(namespace, name, url);
    annotate(namespace, name, Map.of(APPROVED_BY, "alice"));
    MigrationRequest running = awaitPhase(namespace, name, Phase.Running);
    await().atMost(WAIT).until(() -> jobsOf(namespace, name).size() == 1);
    return running;
  }

  private void create(MigrationRequest request) {
    client.resource(request).create();
  }

  /** As kubectl annotate does it: a merge patch without a resourceVersion, so a status write meanwhile cannot refuse it. */
  private void annotate(String namespace, String name, Map<String, String> annotations) {
    client.resources(MigrationRequest.class).inNamespace(namespace).withName(name)
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            io.fabric8.kubernetes.client.utils.Serialization.asJson(Map.of("metadata", Map.of("annotations", annotations))));
  }

  private void removeAnnotation(String namespace, String name, String key) {
    client.resources(MigrationRequest.class).inNamespace(namespace).withName(name)
        .edit(r -> {
          r.getMetadata().getAnnotations().remove(key);
          return r;
        });
  }

  private void relabel(String namespace, Map<String, String> labels) {
    client.namespaces().withName(namespace).edit(ns -> {
      ns.getMetadata().setLabels(labels);
      return ns;
    });
  }

  private void finishJob(Job job, boolean succeeded, int exitCode, String terminationMessage) {
    JobControllerPlay.finish(client, job, succeeded, JobControllerPlay.terminated(exitCode, terminationMessage));
  }


  /** As an admin would: strip the operator's finalizer, then delete. */
  private static void deleteByHand(Job job) {
    client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
        .edit(j -> {
          j.getMetadata().setFinalizers(List.of());
          return j;
        });
    client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
        .delete();
  }

  private void assertStaysWithoutJob(String namespace, String name, Phase phase) {
    await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() ->
        jobs(namespace).isEmpty() && phase(namespace, name) == phase);
  }

  private MigrationRequest awaitPhase(String namespace, String name, Phase phase) {
    await().atMost(WAIT).until(() -> phase(namespace, name) == phase);
    return get(namespace, name);
  }

  private MigrationRequest get(String namespace, String name) {
    return client.resources(MigrationRequest.class).inNamespace(namespace).withName(name).get();
  }

  private Phase phase(String namespace, String name) {
    MigrationRequest r = get(namespace, name);
    return r == null || r.getStatus() == null ? null : r.getStatus().phase;
  }

  private String reason(String namespace, String name, String type) {
    MigrationRequest r = get(namespace, name);
    return r == null || r.getStatus() == null || r.getStatus().conditions.isEmpty() ? null
        : condition(r, type).getReason();
  }

  private static io.fabric8.kubernetes.api.model.Condition condition(MigrationRequest r, String type) {
    return r.getStatus().conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  private List<String> eventReasons(String namespace, String request) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> request.equals(e.getInvolvedObject().getName()))
        .map(io.fabric8.kubernetes.api.model.Event::getReason)
        .toList();
  }

  private List<Job> jobsOf(String namespace, String request) {
    return jobs(namespace).stream()
        .filter(j -> j.getMetadata().getOwnerReferences().get(0).getName().equals(request))
        .toList();
  }

  private List<Job> jobs(String namespace) {
    return client.batch().v1().jobs().inNamespace(namespace).list().getItems();
  }

  private List<Job> allJobs() {
    return client.batch().v1().jobs().inAnyNamespace().list().getItems();
  }
}
