package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The database plan as a real install runs it (the chart's default, on in the shared cluster): a
 * read-only plan Job shows what will be applied before approval, an approval pins that plan, a
 * database that moved after the plan stops the run with nothing applied, and a fresh plan asked for
 * with the replan annotation can be approved and runs.
 */
@ExtendWith(GuardedClusterExtension.class)
class DatabasePlanIT {

  private static final String NS = "plans";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LocalCluster cluster;
  private static Kubectl requester;
  private static Kubectl approver;
  private static Kubectl admin;

  @BeforeAll
  static void namespace(LocalCluster shared) {
    cluster = shared;
    cluster.createNamespace(NS, Map.of("environment", "dev"));
    requester = cluster.kubectl(LocalUser.REQUESTER);
    approver = cluster.kubectl(LocalUser.APPROVER);
    admin = cluster.kubectl(LocalUser.ADMIN);
  }

  private static Map<String, String> scripts(int upTo) {
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put("V1__create_orders.sql", "create table orders (id bigint primary key);\n");
    if (upTo >= 2) {
      scripts.put("V2__add_status.sql", "alter table orders add column status text;\n");
    }
    if (upTo >= 3) {
      scripts.put("V3__add_total.sql", "alter table orders add column total numeric(10,2);\n");
    }
    return scripts;
  }

  /** Applies the Secret, the scripts and the request as the requester; the spec may be amended. */
  private static void submit(String name, String url, int upTo, String extraSpec) {
    String spec = Yaml.spec(url, name + "-scripts", name + "-db");
    spec = spec.substring(0, spec.indexOf("verify:")) + extraSpec;
    Kubectl.Result applied = requester.runWithInput(String.join("---\n",
        Yaml.secret(NS, name + "-db", LocalPostgres.MIGRATOR, cluster.postgres().password()),
        Yaml.scripts(NS, name + "-scripts", scripts(upTo)),
        Yaml.request(NS, name, spec)), "apply", "-f", "-");
    assertThat(applied.ok()).as(applied.toString()).isTrue();
  }

  private static JsonNode request(String name) throws Exception {
    Kubectl.Result got = admin.run("get", "mr", name, "-n", NS, "-o", "json");
    assertThat(got.ok()).as(got.toString()).isTrue();
    return JSON.readTree(got.out());
  }

  private static JsonNode awaitPhase(String name, String phase) {
    return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> request(name), r -> phase.equals(r.at("/status/phase").asText()));
  }

  private static String ready(JsonNode request, String field) {
    for (JsonNode c : request.at("/status/conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        return c.path(field).asText();
      }
    }
    return "";
  }

  /** Approves in the approver's name, pinned to the plan digest the approver was shown. */
  private static void approvePinned(String name, String digest) {
    Kubectl.Result annotated = approver.run("annotate", "--overwrite", "mr", name, "-n", NS,
        "migrationgate.io/approved-by=" + LocalUser.APPROVER.userName(), "migrationgate.io/approved-digest=" + digest);
    assertThat(annotated.ok()).as(annotated.toString()).isTrue();
  }

  private static int count(String database, String sql) throws Exception {
    try (Connection db = cluster.postgres().connect(database); Statement statement = db.createStatement()) {
      ResultSet rows = statement.executeQuery(sql);
      rows.next();
      return rows.getInt(1);
    }
  }

  private static int historyTables(String database) throws Exception {
    return count(database, "select count(*) from information_schema.tables where table_name = 'flyway_schema_history'");
  }

  /**
   * Brings a database to version {@code version} with a request approved and run. Scripts-only: it
   * stands in for whatever moved the database, and its own plan is not under test.
   */
  private static void migrateTo(String database, String url, int version) {
    String name = database.replace('_', '-') + "-to-" + version;
    submit(name, url, version, "connectBeforeApproval: false\n");
    awaitPhase(name, "AwaitingApproval");
    approver.run("annotate", "mr", name, "-n", NS, "migrationgate.io/approved-by=" + LocalUser.APPROVER.userName());
    awaitPhase(name, "Succeeded");
  }

  /** A database at version 1 and a request for V1..V3 on it, planned and awaiting approval. */
  private static JsonNode plannedAtVersion1(String name, String database) throws Exception {
    String url = cluster.postgres().createDatabase(database);
    migrateTo(database, url, 1);
    submit(name, url, 3, "");
    JsonNode awaiting = awaitPhase(name, "AwaitingApproval");
    assertThat(ready(awaiting, "message")).contains("will apply V2, V3", "now at version 1");
    return awaiting;
  }

  @Test
  void thePlanShowsWhatWillBeAppliedBeforeApprovalAndAnApprovalPinnedToItRuns() throws Exception {
    String url = cluster.postgres().createDatabase("plan_shown");

    submit("shown", url, 2, "");
    JsonNode awaiting = awaitPhase("shown", "AwaitingApproval");

    JsonNode check = awaiting.at("/status/plan/check");
    assertThat(check.path("mode").asText()).isEqualTo("Database");
    assertThat(check.path("pendingTotal").asInt()).isEqualTo(2);
    assertThat(check.path("currentVersion").isMissingNode()).as("nothing applied yet").isTrue();
    assertThat(check.path("state").asText()).startsWith("version=;history=sha256:");
    assertThat(check.path("product").asText()).startsWith("PostgreSQL");
    assertThat(ready(awaiting, "message")).contains("will apply V1, V2 to plan_shown at", "now at no applied migration");
    String digest = awaiting.at("/status/plan/digest").asText();
    assertThat(digest).isNotEqualTo(awaiting.at("/status/plan/scriptsDigest").asText());
    assertThat(historyTables("plan_shown")).as("the plan created nothing in the database").isZero();
    Kubectl.Result report = admin.run("get", "configmap", check.at("/evidence/configMap").asText(), "-n", NS,
        "-o", "jsonpath={.data.report\\.json}");
    assertThat(report.out()).contains("\"program\":\"plan\"", "V2__add_status.sql");

    Map<String, String> wide = KstatusIT.row(admin.run("get", "mr", "shown", "-n", NS, "-o", "wide").out());
    assertThat(wide).containsEntry("PHASE", "AwaitingApproval").containsEntry("NOW AT", "").containsEntry("PENDING", "2");
    // what an approver reads with the plugin: the database's answer beside the scripts
    Kubectl.Result shown = approver.runPlugin(KubectlPluginIT.PLUGIN_DIR, null, "migrationgate", "plan", "shown", "-n", NS);
    assertThat(shown.ok()).as(shown.toString()).isTrue();
    assertThat(shown.out()).contains("now at:   no applied migration", "pending:  2", "V1      V1__create_orders.sql",
        "digest:     " + digest);

    approvePinned("shown", digest);
    JsonNode done = awaitPhase("shown", "Succeeded");
    assertThat(done.at("/status/result/schemaVersionAfter").asText()).isEqualTo("2");
  }

  @Test
  void aDatabaseThatMovedAfterThePlanStopsTheRunWithNothingApplied() throws Exception {
    JsonNode awaiting = plannedAtVersion1("stale", "plan_stale");
    assertThat(KstatusIT.row(admin.run("get", "mr", "stale", "-n", NS, "-o", "wide").out()))
        .containsEntry("NOW AT", "1").containsEntry("PENDING", "2");

    // A DBA's hotfix by hand, after the plan: the history is no longer what the approver was shown.
    try (Connection db = cluster.postgres().connect("plan_stale"); Statement sql = db.createStatement()) {
      sql.execute("alter table orders add column status text");
      sql.execute("insert into flyway_schema_history (installed_rank, version, description, type, script, checksum,"
          + " installed_by, execution_time, success) values (2, '2', 'hotfix by hand', 'SQL', 'hotfix.sql', 0,"
          + " 'dba', 0, true)");
    }
    approvePinned("stale", awaiting.at("/status/plan/digest").asText());

    JsonNode failed = awaitPhase("stale", "Failed");
    assertThat(ready(failed, "reason")).isEqualTo("PlanStale");
    assertThat(failed.at("/status/result/exitCode").asInt()).isEqualTo(15);
    assertThat(count("plan_stale", "select count(*) from information_schema.columns where table_name = 'orders'"
        + " and column_name = 'total'")).as("V3 was not applied").isZero();
    assertThat(count("plan_stale", "select count(*) from flyway_schema_history")).as("history untouched").isEqualTo(2);
  }

  @Test
  void aFreshPlanAskedForWithTheReplanAnnotationCanBeApprovedAndRuns() throws Exception {
    JsonNode first = plannedAtVersion1("replan", "plan_replan");
    String url = first.at("/spec/database/url").asText();

    migrateTo("plan_replan", url, 2);
    Kubectl.Result replan = approver.run("annotate", "mr", "replan", "-n", NS, "migrationgate.io/replan=after-v2");
    assertThat(replan.ok()).as(replan.toString()).isTrue();
    JsonNode fresh = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> request("replan"), r -> "AwaitingApproval".equals(r.at("/status/phase").asText())
            && r.at("/status/plan/check/replans").asInt() == 1 && r.at("/status/plan/digest").isTextual());
    assertThat(ready(fresh, "message")).contains("will apply V3", "now at version 2");
    assertThat(fresh.at("/status/plan/digest").asText()).isNotEqualTo(first.at("/status/plan/digest").asText());
    assertThat(admin.run("get", "events", "-n", NS, "--field-selector", "involvedObject.name=replan",
        "-o", "jsonpath={.items[*].reason}").out()).contains("Replanned");

    approvePinned("replan", fresh.at("/status/plan/digest").asText());
    assertThat(awaitPhase("replan", "Succeeded").at("/status/result/schemaVersionAfter").asText()).isEqualTo("3");
  }
}
