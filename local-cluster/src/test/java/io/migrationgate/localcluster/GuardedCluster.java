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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The e2e tests' one helper: a cluster with the chart installed (its RBAC and policies) and the
 * operator as its ServiceAccount, and what people do on it. The requester submits
 * ({@link Fixtures}), the approver annotates, attackers forge status (as the operator's
 * ServiceAccount, impersonated: a leaked token, or the status policy not installed) or create
 * objects with the namespace's ordinary {@code edit} rights; the tests read requests, wait for
 * them and query their databases. {@link SharedClusters} shares one among the test classes.
 */
final class GuardedCluster implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern HEADER = Pattern.compile("\\S+(?: \\S+)*");
  /** A user with the namespace's {@code edit} ClusterRole: may create ConfigMaps, Jobs and Pods. */
  static final String ATTACKER = "mallory";
  static final String JOB_FINALIZER = "migrationgate.io/job-outcome";
  /** From a request's creation to its plan: the first one waits for the operator's caches to fill. */
  static final Duration PLANNED = Duration.ofSeconds(90);
  /** From a cause (approval, forgery, nudge) to the operator's verdict in status. */
  static final Duration VERDICT = Duration.ofSeconds(20);
  /** From an approval to its Job, created and recorded in status. */
  static final Duration LAUNCHED = Duration.ofSeconds(60);
  /** From an approval to the run's final phase: a Job, a runner JVM, Flyway, the evidence. */
  static final Duration FINISHED = Duration.ofSeconds(120);

  final LocalCluster cluster;
  final ChartRelease release;
  final KubernetesClient client;
  final Kubectl admin;
  final Kubectl requester;
  final Kubectl approver;
  /** Whether this API server stamps requested-by or the requester declares it (Kubernetes before 1.36). */
  final RequestedBy requestedBy;
  private final AtomicInteger nudges = new AtomicInteger();
  private KubernetesClient operatorIdentity;

  GuardedCluster(LocalCluster cluster, ChartRelease release) {
    this.cluster = cluster;
    this.release = release;
    this.client = cluster.controlPlane().admin();
    this.admin = cluster.kubectl(LocalUser.ADMIN);
    this.requester = cluster.kubectl(LocalUser.REQUESTER);
    this.approver = cluster.kubectl(LocalUser.APPROVER);
    this.requestedBy = RequestedBy.on(client);
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

  /** A new database owned by the migrator, registered as a MigrationTarget (registerTarget); its JDBC URL. */
  String database(String name) throws SQLException {
    String url = cluster.postgres().createDatabase(name);
    registerTarget(url);
    return url;
  }

  /**
   * As a platform engineer: the migrator's Secret in the operator's namespace and the MigrationTarget
   * {@link Targets#nameOf} for {@code url}, admitting every namespace. Applying it again changes nothing.
   */
  void registerTarget(String url) {
    require(admin.runWithInput(Targets.yaml(url, LocalPostgres.MIGRATOR, cluster.postgres().password()),
        "apply", "-f", "-"));
  }

  /**
   * The platform's target for {@code url} (registerTarget), then the requester applies the scripts
   * ConfigMap {@code <name>-scripts} (none when {@code scripts} is null: the source appears later)
   * and the request with {@link Fixtures#spec}.
   */
  void submit(String namespace, String name, String url, Map<String, String> scripts) {
    registerTarget(url);
    submit(namespace, name, scripts, Fixtures.spec(name, url));
  }

  /** The requester applies the scripts and the request with {@code spec} (YAML lines), in one {@code kubectl apply}. */
  void submit(String namespace, String name, Map<String, String> scripts, String spec) {
    List<String> documents = new ArrayList<>();
    if (scripts != null) {
      documents.add(Yaml.scripts(namespace, name + "-scripts", scripts));
    }
    documents.add(requestYaml(namespace, name, spec));
    require(requester.runWithInput(String.join("---\n", documents), "apply", "-f", "-"));
  }

  /** The requester applies request {@code name} alone: its Secret and scripts come later, or never. */
  void createRequest(String namespace, String name, String spec) {
    require(requester.runWithInput(requestYaml(namespace, name, spec), "apply", "-f", "-"));
  }

  /** Request {@code name} as the requester writes it on this cluster ({@link RequestedBy}). */
  String requestYaml(String namespace, String name, String spec) {
    return requestedBy.request(namespace, name, LocalUser.REQUESTER.userName(), spec);
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

  /** Approves in the approver's name, pinned to the plan digest the approver was shown. */
  void approve(String namespace, String name, String digest) {
    require(approver.run("annotate", "--overwrite", "mr", name, "-n", namespace,
        "migrationgate.io/approved-by=" + LocalUser.APPROVER.userName(), "migrationgate.io/approved-digest=" + digest));
  }

  void reject(String namespace, String name) {
    require(approver.run("annotate", "mr", name, "-n", namespace,
        "migrationgate.io/rejected-by=" + LocalUser.APPROVER.userName()));
  }

  /**
   * The requester and approver groups get the chart's roles in {@code ns}, as the chart's notes tell
   * a platform team to bind them: the requester's may delete requests and ConfigMaps, the approver's
   * may read ConfigMaps.
   */
  void bindTheChartsRoles(String ns) {
    for (String[] role : new String[][] {{"requester", Rbac.REQUESTERS}, {"approver", Rbac.APPROVERS}}) {
      require(admin.run("create", "rolebinding", "chart-" + role[0], "-n", ns,
          "--clusterrole=" + ChartRelease.RELEASE + "-migration-gate-" + role[0], "--group=" + role[1]));
    }
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
        requester.run("auth", "can-i", "delete", "configmaps", "-n", ns).out().strip().equals("yes")
            && approver.run("auth", "can-i", "get", "configmaps", "-n", ns).out().strip().equals("yes"));
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

  /**
   * From now on the API server refuses to create any Job for the requests of {@code namespace}: a
   * ValidatingAdmissionPolicy of the test's, on the label the operator puts on a target's Jobs, as a
   * full quota or the platform's own policy in the operator's namespace would. Waits until it acts.
   */
  void refuseJobsOf(String namespace) {
    String name = "no-jobs-for-" + namespace;
    require(admin.runWithInput("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: %1$s}
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules:
            - {apiGroups: [batch], apiVersions: ["*"], operations: [CREATE], resources: [jobs]}
          validations:
          - expression: "object.metadata.?labels.orValue({})[?'migrationgate.io/request-namespace'].orValue('') != '%2$s'"
            message: "no more Jobs for the requests of %2$s"
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: %1$s}
        spec: {policyName: %1$s, validationActions: [Deny]}
        """.formatted(name, namespace), "apply", "-f", "-"));
    String probe = """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: probe, namespace: %s, labels: {migrationgate.io/request-namespace: %s}}
        spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}
        """.formatted(ChartRelease.NAMESPACE, namespace);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> admin.runWithInput(probe, "create", "--dry-run=server", "-f", "-").err()
            .contains("no more Jobs for the requests of " + namespace));
  }

  /** Lifts {@link #refuseJobsOf}. */
  void allowJobsOf(String namespace) {
    require(admin.run("delete", "validatingadmissionpolicybinding,validatingadmissionpolicy",
        "no-jobs-for-" + namespace));
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
    return condition(request(namespace, name), type);
  }

  /** The condition of {@code type} of a request read before, or a missing node. */
  static JsonNode condition(JsonNode request, String type) {
    return StreamSupport.stream(request.at("/status/conditions").spliterator(), false)
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

  /** Whether a field of status is absent: never written, or written empty. */
  static boolean absent(JsonNode field) {
    return field.isMissingNode() || field.isNull();
  }

  /**
   * Waits until the request {@code reached} what is described as {@code what}; returns it as read
   * then. On timeout the failure shows its status and its namespace.
   */
  JsonNode awaitRequest(String namespace, String name, String what, Predicate<JsonNode> reached, Duration timeout) {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    try {
      // a request just applied may not be readable yet: its absence is waited out like any other state
      await().atMost(timeout).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
        last.set(request(namespace, name));
        return reached.test(last.get());
      });
      return last.get();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("%s/%s did not reach %s within %s; status: %s%n%s".formatted(namespace, name, what,
          timeout, last.get() == null ? "(not read)" : last.get().path("status"), describe(namespace)), e);
    }
  }

  JsonNode awaitPhase(String namespace, String name, String phase, Duration timeout) {
    return awaitRequest(namespace, name, "phase " + phase, r -> phase.equals(r.at("/status/phase").asText()), timeout);
  }

  /** Waits until the run ended, either way. */
  JsonNode awaitFinished(String namespace, String name) {
    return awaitRequest(namespace, name, "a final phase, Succeeded or Failed",
        r -> List.of("Succeeded", "Failed").contains(r.at("/status/phase").asText()), FINISHED);
  }

  /** Waits until status records the uid of the request's Job: the Job exists and is the operator's. */
  JsonNode awaitJobRecorded(String namespace, String name) {
    return awaitRequest(namespace, name, "a Job uid in status.job", r -> !r.at("/status/job/uid").asText().isBlank(),
        LAUNCHED);
  }

  /** Awaits phase {@code phase} with condition {@code type} of reason {@code reason}. */
  JsonNode awaitVerdict(String namespace, String name, String phase, String type, String reason, Duration timeout) {
    return awaitRequest(namespace, name, "phase " + phase + " with " + type + " " + reason,
        r -> phase.equals(r.at("/status/phase").asText()) && reason.equals(condition(r, type).path("reason").asText()),
        timeout);
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

  // ---- databases ----

  /** The first column of the first row {@code sql} returns in {@code database}, as text. */
  String query(String database, String sql) throws SQLException {
    try (Connection db = cluster.postgres().connect(database); Statement statement = db.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).as("a row from %s in %s", sql, database).isTrue();
      return rows.getString(1);
    }
  }

  int count(String database, String sql) throws SQLException {
    return Integer.parseInt(query(database, sql));
  }

  /** How many migrations Flyway recorded as applied in {@code database}. */
  int appliedMigrations(String database) throws SQLException {
    return count(database, "select count(*) from flyway_schema_history where success and version is not null");
  }

  int tables(String database, String tableName) throws SQLException {
    return count(database, "select count(*) from information_schema.tables where table_name = '" + tableName + "'");
  }

  int columns(String database, String table, String column) throws SQLException {
    return count(database, "select count(*) from information_schema.columns where table_name = '" + table
        + "' and column_name = '" + column + "'");
  }

  // ---- what kubectl prints ----

  /**
   * kubectl's table of one object as header -> value, cut at the headers' offsets: an empty cell
   * is blank, and a header may hold one space (SCHEMA AFTER).
   */
  static Map<String, String> tableRow(String table) {
    List<String> lines = table.lines().toList();
    assertThat(lines).as(table).hasSize(2);
    String header = lines.get(0);
    String values = lines.get(1);
    List<MatchResult> headers = HEADER.matcher(header).results().toList();
    Map<String, String> row = new LinkedHashMap<>();
    for (int i = 0; i < headers.size(); i++) {
      int from = Math.min(headers.get(i).start(), values.length());
      int to = i + 1 < headers.size() ? Math.min(headers.get(i + 1).start(), values.length()) : values.length();
      row.put(headers.get(i).group(), values.substring(from, to).trim());
    }
    return row;
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
