package io.migrationgate.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.api.v1alpha1.MigrationTargetStatus;
import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RunReport;
import io.migrationgate.operator.lifecycle.TargetChecks;
import io.migrationgate.operator.runtime.OperatorConfig;
import io.migrationgate.operator.runtime.OperatorFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MigrationTargetReconciler with the real operator wiring on fabric8's CRUD mock API server; the
 * test plays the Job controller. The same on the real API server with the chart: TargetStatusIT.
 */
@EnableKubernetesMockClient(crud = true)
class TargetStatusMockServerTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  private static final String RUNS = "migration-gate";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private Operator operator;

  @BeforeEach
  void startOperator() {
    server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(MigrationRequest.class));
    server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(MigrationTarget.class));
    client.resource(new NamespaceBuilder().withNewMetadata().withName(RUNS).endMetadata().build()).createOr(r -> r.update());
    operator = OperatorFactory.create(client, OperatorConfig.fromEnvironment(Map.of(
        "MG_RUNNER_IMAGE", "example.test/migration-gate:test",
        "MG_RUNS_NAMESPACE", RUNS,
        "MG_TARGET_CHECK_INTERVAL", "0s",
        "MG_DATABASE_PLAN", "false")), Clock.systemUTC(), new SimpleMeterRegistry());
    operator.start();
  }

  @AfterEach
  void stopOperator() {
    operator.stop();
    JobControllerPlay.clear(client);
  }

  @Test
  void aNewTargetIsCheckedOnceByOneJobWhoseOutcomeBecomesReachableAndTheJobGoes() {
    MigrationTarget target = client.resource(Requests.target("orders", "shop", false)).create();
    Job job = await().atMost(WAIT).until(() -> checkJobs(), jobs -> jobs.size() == 1).get(0);
    assertThat(job.getMetadata().getName()).isEqualTo(TargetChecks.jobName(target));
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand()).endsWith("check");
    assertThat(reachable("orders")).map(Condition::getReason).contains(TargetChecks.NOT_CHECKED);

    JobControllerPlay.finish(client, job, true, JobControllerPlay.terminated(0,
        RunReport.builder().outcome(Outcome.SUCCEEDED).message("reached PostgreSQL 16.4 read-only").build()
            .toCompactJson(4096)));

    await().atMost(WAIT).until(() -> reachable("orders").map(Condition::getStatus), s -> s.equals(Optional.of("True")));
    await().atMost(WAIT).until(() -> checkJobs().isEmpty());
    MigrationTargetStatus status = client.resources(MigrationTarget.class).withName("orders").get().getStatus();
    assertThat(status.observedGeneration).isEqualTo(1L);
    assertThat(status.lastCheckedAt).isNotNull();
    assertThat(reachable("orders").orElseThrow().getMessage()).contains("PostgreSQL 16.4");
  }

  @Test
  void twoTargetsOfOneDatabaseBothNameTheOtherAndStopWhenOneMoves() {
    MigrationTarget a = Requests.target("orders-a", "shop", false);
    a.getSpec().database.url = "jdbc:postgresql://orders-db/orders";
    MigrationTarget b = Requests.target("orders-b", "shop", false);
    b.getSpec().database.url = "jdbc:postgresql://ORDERS-DB.migration-gate.svc.cluster.local:5432/orders";
    client.resource(a).create();
    client.resource(b).create();

    await().atMost(WAIT).until(() -> duplicate("orders-a").map(Condition::getMessage).orElse(""),
        m -> m.contains("orders-b"));
    await().atMost(WAIT).until(() -> duplicate("orders-b").map(Condition::getMessage).orElse(""),
        m -> m.contains("orders-a"));

    client.resources(MigrationTarget.class).withName("orders-b")
        .edit(t -> { t.getSpec().database.url = "jdbc:postgresql://billing-db/billing"; return t; });

    await().atMost(WAIT).until(() -> duplicate("orders-a").map(Condition::getStatus), s -> s.equals(Optional.of("False")));
    await().atMost(WAIT).until(() -> duplicate("orders-b").map(Condition::getStatus), s -> s.equals(Optional.of("False")));
  }

  private static List<Job> checkJobs() {
    return client.batch().v1().jobs().inNamespace(RUNS).withLabel(TargetChecks.TARGET_UID_KEY).list().getItems();
  }

  private static Optional<Condition> reachable(String target) {
    return condition(target, MigrationTargetStatus.REACHABLE);
  }

  private static Optional<Condition> duplicate(String target) {
    return condition(target, MigrationTargetStatus.DUPLICATE_ADDRESS);
  }

  private static Optional<Condition> condition(String target, String type) {
    MigrationTarget current = client.resources(MigrationTarget.class).withName(target).get();
    return current == null || current.getStatus() == null ? Optional.empty()
        : current.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
