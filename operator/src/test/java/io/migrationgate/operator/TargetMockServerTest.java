package io.migrationgate.operator;

import static io.migrationgate.api.v1alpha1.Annotations.APPROVED_BY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.migrationgate.api.v1alpha1.Conditions;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.operator.lifecycle.OwnedLabels;
import io.migrationgate.operator.runtime.OperatorConfig;
import io.migrationgate.operator.runtime.OperatorFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real operator with MigrationTargets and the chart's defaults (inline databases refused), on
 * fabric8's CRUD mock API server; the tests play the Job controller. The same rules on the real API
 * server, with the chart's policies and RBAC: TargetsIT.
 */
@EnableKubernetesMockClient(crud = true)
class TargetMockServerTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  private static final String RUNS = "migration-gate";
  private static final String TEAM = "shop-staging";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private Operator operator;

  @BeforeEach
  void startOperator() {
    server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(MigrationRequest.class));
    server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(MigrationTarget.class));
    namespace(TEAM, Map.of("team", "shop", "environment", "staging"));
    namespace(RUNS, Map.of());
    operator = OperatorFactory.create(client, OperatorConfig.fromEnvironment(Map.of(
        "MG_RUNNER_IMAGE", "example.test/migration-gate:test",
        "MG_RECHECK_INTERVAL", "1s",
        "MG_RUNS_NAMESPACE", RUNS,
        // No kubelet here runs plan Jobs; DatabasePlanIT and TargetsIT run them on targets.
        "MG_DATABASE_PLAN", "false")), Clock.systemUTC(), new SimpleMeterRegistry());
    operator.start();
  }

  @AfterEach
  void stopOperator() {
    operator.stop();
    JobControllerPlay.clear(client);
  }

  @Test
  void aTargetsJobsRunInTheRunsNamespaceWithItsSecretAndTheRecordStaysThereAfterTheRequestGoes() {
    client.resource(Requests.target("orders", "shop", false)).create();
    MigrationRequest planned = awaitingApproval("orders-1", "orders");
    assertThat(planned.getStatus().plan.target.name).isEqualTo("orders");
    assertThat(planned.getStatus().plan.target.credentialsSecret).isEqualTo("orders-platform-migrator");
    assertThat(planned.getStatus().plan.database.address).isEqualTo("orders-db:5432/orders");
    assertThat(client.configMaps().inNamespace(RUNS).withName(planned.getStatus().plan.snapshot).get())
        .as("the snapshot is in the runs namespace").isNotNull();
    assertThat(client.configMaps().inNamespace(TEAM).withName(planned.getStatus().plan.snapshot).get()).isNull();

    annotate("orders-1", Map.of(APPROVED_BY, "alice"));
    Job job = await().atMost(WAIT).until(() -> jobs(RUNS), l -> l.size() == 1).get(0);
    assertThat(jobs(TEAM)).as("nothing runs in the requester's namespace").isEmpty();
    assertThat(job.getMetadata().getOwnerReferences()).as("no owner reference crosses namespaces").isEmpty();
    assertThat(job.getMetadata().getLabels()).containsEntry(OwnedLabels.REQUEST_NAMESPACE_KEY, TEAM)
        .containsEntry(OwnedLabels.REQUEST_UID_KEY, planned.getMetadata().getUid());
    List<EnvVar> env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(env).extracting(e -> e.getValueFrom().getSecretKeyRef().getName())
        .containsOnly("orders-platform-migrator");

    JobControllerPlay.finish(client, job, true, JobControllerPlay.terminated(0, null));
    MigrationRequest done = awaitPhase("orders-1", Phase.Succeeded);
    assertThat(client.configMaps().inNamespace(RUNS).withName(done.getStatus().evidence.configMap).get())
        .as("the evidence is in the runs namespace, out of the requester's reach").isNotNull();

    client.resource(done).delete();
    await().atMost(WAIT).until(() -> jobs(RUNS).isEmpty()
        && client.configMaps().inNamespace(RUNS).withName(planned.getStatus().plan.snapshot).get() == null);
    assertThat(client.configMaps().inNamespace(RUNS).withName(done.getStatus().evidence.configMap).get())
        .as("the evidence outlives the request").isNotNull();
  }

  @Test
  void aProductionTargetIsRefusedWhateverTheNamespace() {
    client.resource(Requests.target("orders-prod", "shop", true)).create();
    client.resource(Requests.scripts(TEAM)).createOr(r -> r.update());
    client.resource(Requests.onTarget(TEAM, "orders-2", "orders-prod")).create();
    MigrationRequest blocked = awaitPhase("orders-2", Phase.Blocked);
    assertThat(reason(blocked)).isEqualTo(Reason.PRODUCTION_TARGET);
    assertThat(client.batch().v1().jobs().inAnyNamespace().list().getItems()).isEmpty();
  }

  @Test
  void aNamespaceTheTargetDoesNotAdmitWaitsUntilItIsAdmitted() {
    client.resource(Requests.target("billing", "billing", false)).create();
    client.resource(Requests.scripts(TEAM)).createOr(r -> r.update());
    client.resource(Requests.onTarget(TEAM, "orders-3", "billing")).create();
    assertThat(reason(awaitPhase("orders-3", Phase.Blocked))).isEqualTo(Reason.TARGET_NOT_ALLOWED);

    namespace(TEAM, Map.of("team", "billing", "environment", "staging"));
    awaitPhase("orders-3", Phase.AwaitingApproval);
  }

  @Test
  void aMissingTargetIsWaitedForAndItsCreationWakesTheRequest() {
    client.resource(Requests.scripts(TEAM)).createOr(r -> r.update());
    client.resource(Requests.onTarget(TEAM, "orders-4", "later")).create();
    assertThat(reason(awaitPhase("orders-4", Phase.Pending))).isEqualTo(Reason.TARGET_NOT_FOUND);

    client.resource(Requests.target("later", "shop", false)).create();
    awaitPhase("orders-4", Phase.AwaitingApproval);
  }

  @Test
  void anInlineDatabaseIsRefusedByDefault() {
    client.resource(Requests.scripts(TEAM)).createOr(r -> r.update());
    client.resource(Requests.request(TEAM, "orders-5")).create();
    assertThat(reason(awaitPhase("orders-5", Phase.Blocked))).isEqualTo(Reason.INLINE_DATABASES_DISABLED);
    assertThat(client.batch().v1().jobs().inAnyNamespace().list().getItems()).isEmpty();
  }

  // --- helpers ---

  private static void namespace(String name, Map<String, String> labels) {
    client.resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build())
        .createOr(r -> r.update());
  }

  private MigrationRequest awaitingApproval(String name, String target) {
    client.resource(Requests.scripts(TEAM)).createOr(r -> r.update());
    client.resource(Requests.onTarget(TEAM, name, target)).create();
    return awaitPhase(name, Phase.AwaitingApproval);
  }

  private void annotate(String name, Map<String, String> annotations) {
    client.resources(MigrationRequest.class).inNamespace(TEAM).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("metadata", Map.of("annotations", annotations))));
  }

  private MigrationRequest awaitPhase(String name, Phase phase) {
    await().atMost(WAIT).until(() -> {
      MigrationRequest r = client.resources(MigrationRequest.class).inNamespace(TEAM).withName(name).get();
      return r != null && r.getStatus() != null && r.getStatus().phase == phase;
    });
    return client.resources(MigrationRequest.class).inNamespace(TEAM).withName(name).get();
  }

  private static String reason(MigrationRequest r) {
    return r.getStatus().conditions.stream().filter(c -> c.getType().equals(Conditions.READY)).findFirst()
        .orElseThrow().getReason();
  }

  /** The requests' Jobs (a target's connection check Job is its own, MigrationTargetReconcilerTest's). */
  private static List<Job> jobs(String namespace) {
    return client.batch().v1().jobs().inNamespace(namespace).withLabel(OwnedLabels.SELECTOR).list().getItems();
  }
}
