package io.migrationgate.operator;

import io.migrationgate.operator.lifecycle.ResourceNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.migrationgate.api.v1alpha1.ConfigMapSource;
import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.api.v1alpha1.DatabaseSpec;
import io.migrationgate.api.v1alpha1.JobStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestSpec;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.api.v1alpha1.MigrationTargetSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.MigrationSource;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.api.v1alpha1.PlanStatus;
import io.migrationgate.api.v1alpha1.VerifySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test data: requests and script ConfigMaps as a user would write them. */
public final class Requests {

  public static final String DB_URL = "jdbc:postgresql://orders-db:5432/orders";
  public static final Map<String, String> SCRIPTS = Map.of(
      "V1__create_orders.sql", "create table orders (id bigint primary key);",
      "V2__add_status.sql", "alter table orders add column status text;");

  private Requests() {}

  public static MigrationRequest request(String namespace, String name) {
    return request(namespace, name, DB_URL);
  }

  public static MigrationRequest request(String namespace, String name, String url) {
    MigrationRequestSpec spec = new MigrationRequestSpec();
    spec.workOrder = "WO-1234";
    spec.reason = "add orders.status";
    spec.database = new DatabaseSpec();
    spec.database.url = url;
    spec.database.credentialsSecret = "orders-db-migrator";
    spec.migrations = new MigrationSource();
    spec.migrations.configMap = new ConfigMapSource();
    spec.migrations.configMap.name = "orders-migrations";
    spec.target = "latest";
    VerifySpec query = new VerifySpec();
    query.name = "status column exists";
    query.sql = "select count(*) from information_schema.columns where column_name = 'status'";
    query.expect = "1";
    spec.verify = List.of(query);
    spec.timeout = "15m";
    MigrationRequest request = new MigrationRequest();
    request.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name)
        .withAnnotations(new LinkedHashMap<>(Map.of(io.migrationgate.api.v1alpha1.Annotations.REQUESTED_BY, "rita")))
        .build());
    request.setSpec(spec);
    return request;
  }

  /** A request on MigrationTarget {@code target} instead of an inline database. */
  public static MigrationRequest onTarget(String namespace, String name, String target) {
    MigrationRequest request = request(namespace, name);
    request.getSpec().database = null;
    request.getSpec().migrationTargetName = target;
    return request;
  }

  /** A target for {@link #DB_URL} with its Secret in the operator's namespace, admitting namespaces labelled {@code team}. */
  public static MigrationTarget target(String name, String team, boolean production) {
    MigrationTarget target = new MigrationTarget();
    target.setMetadata(new ObjectMetaBuilder().withName(name).build());
    target.setSpec(new MigrationTargetSpec());
    target.getSpec().database = new DatabaseSpec();
    target.getSpec().database.url = DB_URL;
    target.getSpec().database.credentialsSecret = "orders-platform-migrator";
    target.getSpec().production = production;
    target.getSpec().namespaceSelector = new LabelSelectorBuilder().withMatchLabels(Map.of("team", team)).build();
    return target;
  }

  /** The request as it is once its plan is recorded: a uid, the plan's digest and its snapshot. */
  public static MigrationRequest planned(MigrationRequest request, String digest) {
    request.getMetadata().setUid("11111111-2222-3333-4444-555555555555");
    request.setStatus(new MigrationRequestStatus());
    request.getStatus().plan = new PlanStatus();
    request.getStatus().plan.digest = digest;
    request.getStatus().plan.snapshot = ResourceNames.snapshotPrefix(request) + "x7k2p";
    return request;
  }

  /** Planned, approved and with its launch marker written: the Job is built only from a marker. */
  public static MigrationRequest launched(MigrationRequest request, String digest) {
    MigrationRequest launched = planned(request, digest);
    launched.getStatus().job = new JobStatus();
    launched.getStatus().job.name = ResourceNames.job(launched);
    launched.getStatus().job.launchToken = "token-of-the-marker";
    return launched;
  }

  private static int created;

  /** A request whose plan needs a plan Job, created after every one made before it. */
  public static MigrationRequest waitingForPlanJob(String namespace, String name, String url) {
    MigrationRequest r = request(namespace, name, url);
    r.getMetadata().setCreationTimestamp(String.format("2026-12-07T10:%02d:%02dZ", created / 60, created % 60));
    created++;
    r.setStatus(new MigrationRequestStatus());
    r.getStatus().phase = Phase.Pending;
    r.getStatus().plan = new PlanStatus();
    r.getStatus().plan.check = new DatabaseCheck();
    r.getStatus().plan.check.mode = DatabaseCheck.DATABASE;
    return r;
  }

  /** A request whose plan Job runs: its launch marker is written, its report not yet kept. */
  public static MigrationRequest runningPlanJob(String namespace, String name, String url) {
    MigrationRequest r = waitingForPlanJob(namespace, name, url);
    r.getStatus().plan.check.job = name + "-check-1";
    r.getStatus().plan.check.launchToken = "t";
    return r;
  }

  /**
   * A Job as the API server returns it: Go's omitempty drops a false readOnly from volume mounts,
   * and the server adds defaults to the pod (DNS policy, scheduler, grace period).
   */
  public static Job asTheApiServerReturnsIt(Job job) {
    var pod = job.getSpec().getTemplate().getSpec();
    pod.getContainers().forEach(c -> c.getVolumeMounts().stream()
        .filter(m -> Boolean.FALSE.equals(m.getReadOnly())).forEach(m -> m.setReadOnly(null)));
    pod.setDnsPolicy("ClusterFirst");
    pod.setSchedulerName("default-scheduler");
    pod.setTerminationGracePeriodSeconds(30L);
    pod.getContainers().forEach(c -> c.setTerminationMessagePath("/dev/termination-log"));
    return job;
  }

  public static ConfigMap scripts(String namespace) {
    return scripts(namespace, SCRIPTS);
  }

  public static ConfigMap scripts(String namespace, Map<String, String> data) {
    return new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName("orders-migrations")
        .endMetadata().withData(data).build();
  }
}
