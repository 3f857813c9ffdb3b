package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The database plan as a real install runs it (the chart's default, on in the shared cluster): a
 * read-only plan Job shows what will be applied before approval, an approval pins that plan, a
 * database that moved after the plan stops the run with nothing applied, a fresh plan asked for
 * with the replan annotation can be approved and runs, a live data check that fails at launch
 * stops the run, the review of the pending scripts is shown
 * (status, -o wide, the plugin) before approval, and a plan whose login is refused shows no
 * credential anywhere the requester reads.
 */
@ExtendWith(SharedClusters.class)
class DatabasePlanIT {

  private static final String NS = "plans";

  private static GuardedCluster g;

  @BeforeAll
  static void namespace(GuardedCluster shared) {
    g = shared;
    g.createNamespace(NS);
  }

  private static JsonNode awaitPhase(String name, String phase) {
    return g.awaitPhase(NS, name, phase, GuardedCluster.FINISHED);
  }

  private static String ready(JsonNode request, String field) {
    return GuardedCluster.condition(request, "Ready").path(field).asText();
  }

  /**
   * Brings a database to version {@code version} with a request approved and run. Scripts-only: it
   * stands in for whatever moved the database, and its own plan is not under test.
   */
  private static void migrateTo(String database, String url, int version) {
    String name = database.replace('_', '-') + "-to-" + version;
    g.submit(NS, name, Fixtures.ordersUpTo(version), Fixtures.unverifiedSpec(name, url) + "connectBeforeApproval: false\n");
    g.awaitPhase(NS, name, "AwaitingApproval", GuardedCluster.PLANNED);
    g.approve(NS, name);
    awaitPhase(name, "Succeeded");
  }

  /** A database at version 1 and a request for V1..V3 on it, planned and awaiting approval. */
  private static JsonNode plannedAtVersion1(String name, String database) throws Exception {
    String url = g.database(database);
    migrateTo(database, url, 1);
    g.submit(NS, name, Fixtures.ordersUpTo(3), Fixtures.unverifiedSpec(name, url));
    JsonNode awaiting = g.awaitPhase(NS, name, "AwaitingApproval", GuardedCluster.PLANNED);
    assertThat(ready(awaiting, "message")).contains("will apply V2, V3", "now at version 1");
    return awaiting;
  }

  @Test
  void thePlanShowsWhatWillBeAppliedBeforeApprovalAndAnApprovalPinnedToItRuns() throws Exception {
    g.submit(NS, "shown", Fixtures.orders(), Fixtures.unverifiedSpec("shown", g.database("plan_shown")));
    JsonNode awaiting = g.awaitPhase(NS, "shown", "AwaitingApproval", GuardedCluster.PLANNED);

    JsonNode check = awaiting.at("/status/plan/check");
    assertThat(check.path("mode").asText()).isEqualTo("Database");
    assertThat(check.path("pendingTotal").asInt()).isEqualTo(2);
    assertThat(check.path("currentVersion").isMissingNode()).as("nothing applied yet").isTrue();
    assertThat(check.path("state").asText()).startsWith("version=;history=sha256:");
    assertThat(check.path("product").asText()).startsWith("PostgreSQL");
    assertThat(ready(awaiting, "message")).contains("will apply V1, V2 to plan_shown at", "now at no applied migration");
    String digest = awaiting.at("/status/plan/digest").asText();
    assertThat(digest).isNotEqualTo(awaiting.at("/status/plan/scriptsDigest").asText());
    assertThat(g.tables("plan_shown", "flyway_schema_history")).as("the plan created nothing in the database").isZero();
    Kubectl.Result report = g.admin.run("get", "configmap", check.at("/evidence/configMap").asText(), "-n",
        ChartRelease.NAMESPACE,
        "-o", "jsonpath={.data.report\\.json}");
    assertThat(report.out()).contains("\"program\":\"plan\"", "V2__add_status.sql");

    Map<String, String> wide = GuardedCluster.tableRow(g.admin.run("get", "mr", "shown", "-n", NS, "-o", "wide").out());
    assertThat(wide).containsEntry("PHASE", "AwaitingApproval").containsEntry("NOW AT", "").containsEntry("PENDING", "2");
    // what an approver reads with the plugin: the database's answer beside the scripts
    Kubectl.Result shown = g.approver.runPlugin(KubectlPluginIT.PLUGIN_DIR, null, "migrationgate", "plan", "shown", "-n", NS);
    assertThat(shown.ok()).as(shown.toString()).isTrue();
    assertThat(shown.out()).contains("now at:   no applied migration", "pending:  2", "V1      V1__create_orders.sql",
        "digest:     " + digest);

    g.approve(NS, "shown", digest);
    JsonNode done = awaitPhase("shown", "Succeeded");
    assertThat(done.at("/status/result/schemaVersionAfter").asText()).isEqualTo("2");
  }

  @Test
  void theReviewOfThePendingScriptsIsShownBeforeApprovalAndTheApprovalCoversIt() throws Exception {
    String url = g.database("plan_risk");
    migrateTo("plan_risk", url, 1);
    Map<String, String> scripts = Fixtures.ordersUpTo(1);
    scripts.put("V2__index_orders.sql", "create index orders_id_desc on orders (id desc);\n");
    scripts.put("V3__purge.sql", "-- migration-gate:allow delete-without-where the rows are test data\ndelete from orders;\n");
    g.submit(NS, "risky", scripts, Fixtures.unverifiedSpec("risky", url));
    JsonNode awaiting = g.awaitPhase(NS, "risky", "AwaitingApproval", GuardedCluster.PLANNED);

    JsonNode risk = awaiting.at("/status/plan/risk");
    assertThat(risk.path("level").asText()).isEqualTo("high");
    assertThat(risk.path("findings").findValuesAsText("rule"))
        .containsExactly("pg-index-without-concurrently", "pg-missing-lock-timeout", "delete-without-where");
    assertThat(risk.path("findings").get(2).path("suppressed").asText()).isEqualTo("the rows are test data");
    assertThat(ready(awaiting, "message")).contains("; risk high: pg-index-without-concurrently V2__index_orders.sql:1, "
        + "pg-missing-lock-timeout V2__index_orders.sql:1; 1 allowed by the scripts' comments");
    assertThat(GuardedCluster.tableRow(g.admin.run("get", "mr", "risky", "-n", NS, "-o", "wide").out()))
        .containsEntry("RISK", "high");
    Kubectl.Result shown = g.approver.runPlugin(KubectlPluginIT.PLUGIN_DIR, null, "migrationgate", "plan", "risky", "-n", NS);
    assertThat(shown.ok()).as(shown.toString()).isTrue();
    assertThat(shown.out()).contains("risk:       high (3 findings of the script review)",
        "high        pg-index-without-concurrently V2__index_orders.sql:1: CREATE INDEX on orders blocks every write",
        "until the index is built; orders holds ",
        "safer: CREATE INDEX CONCURRENTLY", "allowed by the script: the rows are test data");

    g.approve(NS, "risky", awaiting.at("/status/plan/digest").asText());
    assertThat(awaitPhase("risky", "Succeeded").at("/status/result/schemaVersionAfter").asText()).isEqualTo("3");
  }

  @Test
  void aDatabaseThatMovedAfterThePlanStopsTheRunWithNothingApplied() throws Exception {
    JsonNode awaiting = plannedAtVersion1("stale", "plan_stale");
    assertThat(GuardedCluster.tableRow(g.admin.run("get", "mr", "stale", "-n", NS, "-o", "wide").out()))
        .containsEntry("NOW AT", "1").containsEntry("PENDING", "2");

    // A DBA's hotfix by hand, after the plan: the history is no longer what the approver was shown.
    try (Connection db = g.cluster.postgres().connect("plan_stale"); Statement sql = db.createStatement()) {
      sql.execute("alter table orders add column status text");
      sql.execute("insert into flyway_schema_history (installed_rank, version, description, type, script, checksum,"
          + " installed_by, execution_time, success) values (2, '2', 'hotfix by hand', 'SQL', 'hotfix.sql', 0,"
          + " 'dba', 0, true)");
    }
    g.approve(NS, "stale", awaiting.at("/status/plan/digest").asText());

    JsonNode failed = awaitPhase("stale", "Failed");
    assertThat(ready(failed, "reason")).isEqualTo("PlanStale");
    assertThat(failed.at("/status/result/exitCode").asInt()).isEqualTo(15);
    assertThat(g.columns("plan_stale", "orders", "total")).as("V3 was not applied").isZero();
    assertThat(g.count("plan_stale", "select count(*) from flyway_schema_history")).as("history untouched").isEqualTo(2);
  }

  /**
   * The live data check the plan answered is asked again at launch: a duplicate written after the
   * approval makes the unique index fail, so the run stops before Flyway applies anything.
   */
  @Test
  void aDataCheckThatFailsAtLaunchStopsTheRunWithNothingApplied() throws Exception {
    String url = g.database("plan_data");
    migrateTo("plan_data", url, 1);
    try (Connection db = g.cluster.postgres().connect("plan_data"); Statement sql = db.createStatement()) {
      sql.execute("alter table orders add column ref text");
      sql.execute("insert into orders values (1, 'a'), (2, 'b')");
    }
    Map<String, String> scripts = Fixtures.ordersUpTo(1);
    scripts.put("V2__unique_ref.sql", "create unique index orders_ref on orders (ref);\n");
    g.submit(NS, "data", scripts, Fixtures.unverifiedSpec("data", url));
    JsonNode awaiting = g.awaitPhase(NS, "data", "AwaitingApproval", GuardedCluster.PLANNED);
    assertThat(awaiting.at("/status/plan/risk/findings").toString()).as("the plan asked the data")
        .contains("checked: no duplicate values of (ref) in orders");
    int history = g.count("plan_data", "select count(*) from flyway_schema_history");

    try (Connection db = g.cluster.postgres().connect("plan_data"); Statement sql = db.createStatement()) {
      sql.execute("insert into orders values (3, 'a')");
    }
    g.approve(NS, "data", awaiting.at("/status/plan/digest").asText());

    JsonNode failed = awaitPhase("data", "Failed");
    assertThat(ready(failed, "reason")).isEqualTo("DataCheckFailed");
    assertThat(failed.at("/status/result/exitCode").asInt()).isEqualTo(17);
    assertThat(ready(failed, "message")).contains("the data no longer allows the approved change",
        "V2__unique_ref.sql:1: will fail: 1 duplicate value", "nothing was applied");
    assertThat(g.count("plan_data", "select count(*) from pg_indexes where indexname = 'orders_ref'"))
        .as("the index was not created").isZero();
    assertThat(g.count("plan_data", "select count(*) from flyway_schema_history")).as("history untouched")
        .isEqualTo(history);
  }

  @Test
  void aFreshPlanAskedForWithTheReplanAnnotationCanBeApprovedAndRuns() throws Exception {
    JsonNode first = plannedAtVersion1("replan", "plan_replan");
    String url = first.at("/status/plan/target/url").asText();

    migrateTo("plan_replan", url, 2);
    GuardedCluster.require(g.approver.run("annotate", "mr", "replan", "-n", NS, "migrationgate.io/replan=after-v2"));
    JsonNode fresh = g.awaitRequest(NS, "replan", "a fresh plan awaiting approval",
        r -> "AwaitingApproval".equals(r.at("/status/phase").asText())
            && r.at("/status/plan/check/replans").asInt() == 1 && r.at("/status/plan/digest").isTextual(),
        GuardedCluster.PLANNED);
    assertThat(ready(fresh, "message")).contains("will apply V3", "now at version 2");
    assertThat(fresh.at("/status/plan/digest").asText()).isNotEqualTo(first.at("/status/plan/digest").asText());
    assertThat(g.admin.run("get", "events", "-n", NS, "--field-selector", "involvedObject.name=replan",
        "-o", "jsonpath={.items[*].reason}").out()).contains("Replanned");

    g.approve(NS, "replan", fresh.at("/status/plan/digest").asText());
    assertThat(awaitPhase("replan", "Succeeded").at("/status/result/schemaVersionAfter").asText()).isEqualTo("3");
  }

  /**
   * Issue 20's leak: a request whose usernameKey names the Secret's password key makes the password
   * the user name the plan Job logs in with, and PostgreSQL's refusal quotes that name. The request
   * fails saying which key to fix, and the password is in none of what the requester reads: the
   * request with its status, its Events, its ConfigMaps (the plan's evidence with the runner's report
   * and log tail), nor the operator's log.
   */
  @Test
  void aPasswordUsedAsTheUserNameIsShownNowhereAndTheRequestSaysWhichKeyToFix() throws Exception {
    String password = g.cluster.postgres().password();
    String url = g.database("plan_keys_mixed");
    String secret = Targets.secretOf(url);
    // the platform's slip: the target's usernameKey names the password's key
    GuardedCluster.require(g.admin.run("patch", "migrationtarget", Targets.nameOf(url), "--type=merge", "-p",
        "{\"spec\":{\"database\":{\"usernameKey\":\"password\"}}}"));
    g.submit(NS, "keys-mixed", Fixtures.orders(), Fixtures.unverifiedSpec("keys-mixed", url));

    JsonNode failed = awaitPhase("keys-mixed", "Failed");
    assertThat(ready(failed, "reason")).isEqualTo("DatabaseCredentialsRefused");
    assertThat(ready(failed, "message")).contains(
        "the database refused the login of the user in key password of Secret " + secret,
        "check that key password holds the database user's name");
    assertThat(failed.toString()).as("the request and its status").doesNotContain(password);

    String events = g.admin.run("get", "events", "-n", NS, "--field-selector", "involvedObject.name=keys-mixed",
        "-o", "json").out();
    assertThat(events).contains("DatabaseCredentialsRefused").doesNotContain(password);

    String configMaps = g.admin.run("get", "configmaps", "-n", ChartRelease.NAMESPACE, "-l",
        "migrationgate.io/request-uid=" + failed.at("/metadata/uid").asText(), "-o", "json").out();
    assertThat(configMaps).as("the plan's evidence: report, termination message, log tail")
        .contains("plan-evidence", "refused the login of the user in key password").doesNotContain(password);

    assertThat(g.release.operatorLogText()).as("the operator's log").contains("DatabaseCredentialsRefused")
        .doesNotContain(password);
  }
}
