package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;

/**
 * The cluster every e2e test class shares ({@link GuardedClusterExtension}: the chart, its
 * policies, the operator as its ServiceAccount) and what people do on it: the requester submits,
 * the approver annotates, and attackers forge status (as the operator's ServiceAccount,
 * impersonated: a leaked token, or the status policy not installed) or create objects with the
 * namespace's ordinary {@code edit} rights.
 */
final class GuardedCluster implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  /** A user with the namespace's {@code edit} ClusterRole: may create ConfigMaps, Jobs and Pods. */
  static final String ATTACKER = "mallory";
  static final String JOB_FINALIZER = "migrationgate.io/job-outcome";
  /**
   * How long "no Job" is watched for. Long enough for three of the operator's rechecks (every 5 s
   * here, {@link ChartRelease#LOCAL_VALUES}) and JOSDK's first error retries (2 s, 3 s, 4.5 s), which is when
   * a wrongly kept launch marker relaunches; short, because each such wait is spent in full.
   */
  static final Duration NO_JOB_WINDOW = Duration.ofSeconds(15);
  /** From a request's creation to its plan: the first one waits for the operator's caches to fill. */
  static final Duration PLANNED = Duration.ofSeconds(90);
  /** From a cause (approval, forgery, nudge) to the operator's verdict in status. */
  static final Duration VERDICT = Duration.ofSeconds(20);

  final LocalCluster cluster;
  final ChartRelease release;
  final KubernetesClient client;
  final Kubectl admin;
  final Kubectl requester;
  final Kubectl approver;
  private final AtomicInteger nudges = new AtomicInteger();
  private KubernetesClient operatorIdentity;

  GuardedCluster(LocalCluster cluster, ChartRelease release) {
    this.cluster = cluster;
    this.release = release;
    this.client = cluster.controlPlane().admin();
    this.admin = cluster.kubectl(LocalUser.ADMIN);
    this.requester = cluster.kubectl(LocalUser.REQUESTER);
    this.approver = cluster.kubectl(LocalUser.APPROVER);
  }

  /** A namespace labelled {@code environment=dev} where requesters and approvers work. */
  void createNamespace(String name) {
    cluster.createNamespace(name, Map.of("environment", "dev"));
  }

  static Kubectl.Result require(Kubectl.Result result) {
    assertThat(result.ok()).as(result.toString()).isTrue();
    return result;
  }

  // ---- people ----

  /** Two scripts creating orders; {@code firstStatements} go first in V1 (e.g. a pg_sleep). */
  static Map<String, String> ordersScripts(String firstStatements) {
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put("V1__create_orders.sql", firstStatements + "create table orders (id bigint primary key);\n");
    scripts.put("V2__add_status.sql", "alter table orders add column status text not null default 'new';\n");
    return scripts;
  }

  /** A new database owned by the migrator; its JDBC URL. */
  String database(String name) throws SQLException {
    return cluster.postgres().createDatabase(name);
  }

  /**
   * The requester applies the credentials Secret, the scripts ConfigMap {@code <name>-scripts}
   * (none when {@code scripts} is null: the source appears later) and the request.
   */
  void submit(String namespace, String name, String url, Map<String, String> scripts) {
    List<String> documents = new ArrayList<>();
    documents.add(Yaml.secret(namespace, name + "-db", LocalPostgres.MIGRATOR, cluster.postgres().password()));
    if (scripts != null) {
      documents.add(Yaml.scripts(namespace, name + "-scripts", scripts));
    }
    documents.add(Yaml.request(namespace, name, Yaml.spec(url, name + "-scripts", name + "-db")));
    require(requester.runWithInput(String.join("---\n", documents), "apply", "-f", "-"));
  }

  /**
   * A new namespace (environment=dev) with request {@code name} on a database of its own, named
   * after the namespace, planned and waiting for its approver.
   */
  void awaitingApproval(String namespace, String name, Map<String, String> scripts) throws SQLException {
    createNamespace(namespace);
    awaitingApproval(namespace, name, database(namespace.replace('-', '_')), scripts);
  }

  /** Request {@code name} on {@code url} in an existing namespace, planned and waiting for its approver. */
  void awaitingApproval(String namespace, String name, String url, Map<String, String> scripts) {
    submit(namespace, name, url, scripts);
    awaitPhase(namespace, name, "AwaitingApproval", PLANNED);
  }

  /** The requester creates the scripts ConfigMap of {@link #submit} afterwards. */
  void createSource(String namespace, String name, Map<String, String> scripts) {
    require(requester.runWithInput(Yaml.scripts(namespace, name + "-scripts", scripts), "apply", "-f", "-"));
  }

  void approve(String namespace, String name) {
    require(approver.run("annotate", "mr", name, "-n", namespace,
        "migrationgate.io/approved-by=" + LocalUser.APPROVER.userName()));
  }

  void reject(String namespace, String name) {
    require(approver.run("annotate", "mr", name, "-n", namespace,
        "migrationgate.io/rejected-by=" + LocalUser.APPROVER.userName()));
  }

  /**
   * Makes the operator look at the request now. Status writes do not wake it (its own would loop),
   * and an AwaitingApproval request is not rechecked on a timer; any change of a
   * {@code migrationgate.io/} annotation does. This one decides nothing.
   */
  void nudge(String namespace, String name) {
    require(admin.run("annotate", "--overwrite", "mr", name, "-n", namespace,
        "migrationgate.io/nudge=" + nudges.incrementAndGet()));
  }

  // ---- attackers ----

  /**
   * Writes {@code mergePatch} into the request's status as the operator's ServiceAccount
   * (impersonated): what a leaked token of it can do. Sent as one PATCH, as the operator sends
   * its own: {@code kubectl patch} would first GET the status subresource, which the chart does
   * not grant.
   */
  void forgeStatus(String namespace, String name, String mergePatch) {
    operatorIdentity().genericKubernetesResources("migrationgate.io/v1alpha1", "MigrationRequest")
        .inNamespace(namespace).withName(name).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  private synchronized KubernetesClient operatorIdentity() {
    if (operatorIdentity == null) {
      try {
        Config config = Config.fromKubeconfig(Files.readString(cluster.controlPlane().kubeconfig(LocalUser.ADMIN)));
        config.setImpersonateUsername(ChartRelease.SA_USER);
        operatorIdentity = new KubernetesClientBuilder().withConfig(config).build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return operatorIdentity;
  }

  /** Gives {@link #ATTACKER} the built-in {@code edit} role in {@code namespace}, as a team member has. */
  void grantAttackerEdit(String namespace) {
    require(admin.run("create", "rolebinding", ATTACKER + "-edit", "-n", namespace, "--clusterrole=edit",
        "--user=" + ATTACKER));
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
        asAttacker("auth", "can-i", "create", "jobs.batch", "-n", namespace).out().strip().equals("yes"));
  }

  Kubectl.Result asAttacker(String... args) {
    return admin.run(withFirst("--as=" + ATTACKER, args));
  }

  /** {@link #ATTACKER} creates the objects of {@code yaml}; returns the uid of the last. */
  String attackerCreates(String yaml) {
    Kubectl.Result created = require(admin.runWithInput(yaml, "--as=" + ATTACKER, "create", "-f", "-",
        "-o", "jsonpath={.metadata.uid}"));
    return created.out().strip();
  }

  private static String[] withFirst(String first, String... args) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  /**
   * A ResourceQuota holding {@code resource} at {@code hard} with {@code used} already counted. This
   * control plane runs no resourcequota controller, so the admin writes the usage it would have
   * computed; the API server's quota admission then refuses as on any cluster.
   */
  void quota(String namespace, String name, String resource, int hard, int used) {
    ResourceQuota quota = client.resourceQuotas().inNamespace(namespace).resource(new ResourceQuotaBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec().addToHard(resource, new Quantity(String.valueOf(hard))).endSpec()
        .build()).create();
    quota.setStatus(new io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder()
        .addToHard(resource, new Quantity(String.valueOf(hard)))
        .addToUsed(resource, new Quantity(String.valueOf(used))).build());
    client.resourceQuotas().inNamespace(namespace).resource(quota).updateStatus();
  }

  // ---- what the request says ----

  JsonNode request(String namespace, String name) {
    Kubectl.Result got = require(admin.run("get", "mr", name, "-n", namespace, "-o", "json"));
    try {
      return JSON.readTree(got.out());
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + got, e);
    }
  }

  String uid(String namespace, String name) {
    return request(namespace, name).at("/metadata/uid").asText();
  }

  String phase(String namespace, String name) {
    return request(namespace, name).at("/status/phase").asText();
  }

  /** The condition of {@code type}, or a missing node. */
  JsonNode condition(String namespace, String name, String type) {
    JsonNode conditions = request(namespace, name).at("/status/conditions");
    return StreamSupport.stream(conditions.spliterator(), false)
        .filter(c -> type.equals(c.path("type").asText()))
        .findFirst().orElse(JSON.missingNode());
  }

  /** Any condition with {@code reason}, or a missing node. */
  JsonNode conditionWithReason(String namespace, String name, String reason) {
    JsonNode conditions = request(namespace, name).at("/status/conditions");
    return StreamSupport.stream(conditions.spliterator(), false)
        .filter(c -> reason.equals(c.path("reason").asText()))
        .findFirst().orElse(JSON.missingNode());
  }

  void awaitPhase(String namespace, String name, String phase, Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(phase(namespace, name)).as("phase of %s/%s\n%s", namespace, name, describe(namespace))
            .isEqualTo(phase));
  }

  /** Awaits phase {@code phase} with condition {@code type} of reason {@code reason}. */
  void awaitVerdict(String namespace, String name, String phase, String type, String reason, Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      JsonNode request = request(namespace, name);
      assertThat(request.at("/status/phase").asText() + " " + reasonOf(request, type))
          .as("phase and %s reason of %s/%s; status: %s", type, namespace, name, request.path("status"))
          .isEqualTo(phase + " " + reason);
    });
  }

  private static String reasonOf(JsonNode request, String type) {
    for (JsonNode c : request.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c.path("reason").asText();
      }
    }
    return "(no " + type + " condition)";
  }

  /** Everything in the namespace a failure message should show. */
  String describe(String namespace) {
    return admin.run("get", "mr,jobs,pods,configmaps,resourcequotas", "-n", namespace, "-o", "wide").out();
  }

  /**
   * Today's operator's names for a request's objects: the request name cut to 40 characters, dots
   * made dashes, trailing non-alphanumerics dropped, then "-" and the first 6 hex digits of the
   * sha256 of its uid. An attacker computes them the same way to squat on them.
   */
  static String objectBase(String name, String uid) {
    String trimmed = (name.length() <= 40 ? name : name.substring(0, 40)).replace('.', '-')
        .replaceAll("[^a-z0-9]+$", "");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(uid.getBytes(StandardCharsets.UTF_8));
      return trimmed + "-" + HexFormat.of().formatHex(digest).substring(0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String jobName(String name, String uid) {
    return objectBase(name, uid) + "-run";
  }

  // ---- the operator ----

  /** kill -9 the operator: the crash between two of its steps. */
  void killOperator() {
    release.killOperator();
  }

  /** Starts the operator unless one runs (also after a test that failed with it killed). */
  void ensureOperatorRunning() throws IOException {
    if (!release.operatorRunning()) {
      release.startOperator();
    }
  }

  // ---- Jobs ----

  /** Records every Job of the namespace from now on, including ones that exist only for a moment. */
  JobWatch watchJobs(String namespace) {
    return new JobWatch(client, namespace);
  }


  @Override
  public synchronized void close() {
    if (operatorIdentity != null) {
      operatorIdentity.close();
    }
    release.close();
  }
}
