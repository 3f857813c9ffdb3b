package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad requests never reach the operator: the real API server refuses them with the CRD's OpenAPI
 * and CEL rules, naming the field. Applied with kubectl as the requester.
 */
@ExtendWith(SharedClusters.class)
class CrdValidationIT {

  static final String NS = "validation";
  static final String URL = "jdbc:postgresql://orders-db:5432/orders";
  static GuardedCluster g;
  static Kubectl requester;

  @BeforeAll
  static void namespace(GuardedCluster shared) {
    g = shared;
    g.createNamespace(NS);
    requester = g.requester;
  }

  static String spec(String workOrder, String database, String migrations, String more) {
    return (workOrder == null ? "" : "workOrder: " + workOrder + "\n")
        + "database:\n" + database.indent(2)
        + "migrations:\n" + migrations.indent(2)
        + more;
  }

  /** The same on MigrationTarget orders, as the chart's defaults require (inline databases are refused). */
  static String onTarget(String workOrder, String migrations, String more) {
    return (workOrder == null ? "" : "workOrder: " + workOrder + "\n")
        + "migrationTargetName: orders\n"
        + "migrations:\n" + migrations.indent(2)
        + more;
  }

  static String db(String url) {
    return "url: \"" + url + "\"\ncredentialsSecret: orders-db\n";
  }

  static final String CONFIG_MAP = "configMap: {name: orders-migrations}\n";
  static final String IMAGE = "image: {ref: \"registry.example/orders-migrations@sha256:"
      + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}\n";

  static Arguments bad(String what, String spec, String... expected) {
    return Arguments.of(what, spec, List.of(expected));
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        bad("workOrder missing", onTarget(null, CONFIG_MAP, ""),
            "spec.workOrder: Required value"),
        bad("password= in the URL", spec("WO-1", db(URL + "?password=secret"), CONFIG_MAP, ""),
            "spec.database.url: Invalid value", "must not carry credentials (user=/password=)"),
        bad("user= in the URL", spec("WO-1", db(URL + "?ssl=true&user=migrator"), CONFIG_MAP, ""),
            "spec.database.url: Invalid value", "must not carry credentials (user=/password=)"),
        bad("user:pass@ in the URL",
            spec("WO-1", db("jdbc:postgresql://migrator:secret@orders-db:5432/orders"), CONFIG_MAP, ""),
            "spec.database.url: Invalid value", "must not carry credentials (user:password@host)"),
        bad("a target and an inline database", spec("WO-1", db(URL), CONFIG_MAP, "migrationTargetName: orders\n"),
            "set exactly one of spec.migrationTargetName"),
        bad("neither a target nor a database", "workOrder: WO-1\nmigrations:\n" + CONFIG_MAP.indent(2),
            "set exactly one of spec.migrationTargetName"),
        bad("the runner's ServiceAccount on a target", onTarget("WO-1", CONFIG_MAP, "runner: {serviceAccountName: mine}\n"),
            "spec.runner.serviceAccountName cannot be set with spec.migrationTargetName"),
        bad("not a JDBC URL", spec("WO-1", db("postgres://orders-db/orders"), CONFIG_MAP, ""),
            "spec.database.url: Invalid value"),
        bad("both sources", onTarget("WO-1", CONFIG_MAP + IMAGE, ""),
            "spec.migrations: Invalid value", "migrations needs exactly one source"),
        bad("no source", onTarget("WO-1", "{}\n", ""),
            "spec.migrations: Invalid value", "migrations needs exactly one source"),
        bad("image without digest",
            onTarget("WO-1", "image: {ref: \"registry.example/orders-migrations:1.4\"}\n", ""),
            "spec.migrations.image.ref: Invalid value", "must be pinned by digest"),
        bad("bad target", onTarget("WO-1", CONFIG_MAP, "target: newest\n"),
            "spec.target: Invalid value"),
        bad("timeout 30s", onTarget("WO-1", CONFIG_MAP, "timeout: 30s\n"),
            "spec.timeout: Invalid value", "timeout must be between 1m and 24h"),
        bad("timeout 25h", onTarget("WO-1", CONFIG_MAP, "timeout: 25h\n"),
            "spec.timeout: Invalid value", "timeout must be between 1m and 24h"),
        bad("timeout without unit", onTarget("WO-1", CONFIG_MAP, "timeout: \"15\"\n"),
            "spec.timeout: Invalid value"),
        bad("duplicate verify names", onTarget("WO-1", CONFIG_MAP, """
            verify:
            - {name: rows, sql: select 1, expect: "1"}
            - {name: rows, sql: select 2, expect: "2"}
            """), "spec.verify: Invalid value", "verify query names must be unique"),
        bad("bad history table name", onTarget("WO-1", CONFIG_MAP, "flyway: {table: \"history-1\"}\n"),
            "spec.flyway.table: Invalid value"),
        bad("bad Secret name",
            spec("WO-1", "url: \"" + URL + "\"\ncredentialsSecret: Orders_DB\n", CONFIG_MAP, ""),
            "spec.database.credentialsSecret: Invalid value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void apiServerRejectsBadSpecNamingTheField(String what, String spec, List<String> expected) {
    String name = "bad-" + what.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("-$", "");
    Kubectl.Result applied = requester.runWithInput(Yaml.request(NS, name, spec), "apply", "-f", "-");
    assertThat(applied.ok()).as("accepted: " + applied).isFalse();
    assertThat(applied.err()).as(applied.toString()).contains("is invalid").contains(expected);
    assertThat(requester.run("get", "mr", name, "-n", NS).err()).contains("NotFound");
  }

  @Test
  void specCannotChangeAfterCreation() {
    String valid = onTarget("WO-1", CONFIG_MAP, "target: latest\n");
    Kubectl.Result created = requester.runWithInput(Yaml.request(NS, "immutable", valid), "apply", "-f", "-");
    assertThat(created.ok()).as(created.toString()).isTrue();

    String changed = onTarget("WO-1", CONFIG_MAP, "target: \"7\"\n");
    Kubectl.Result updated = g.admin.runWithInput(Yaml.request(NS, "immutable", changed), "apply", "-f", "-");
    assertThat(updated.ok()).as("spec change accepted: " + updated).isFalse();
    assertThat(updated.err()).contains("spec: Forbidden").contains("spec is immutable");
    assertThat(requester.run("get", "mr", "immutable", "-n", NS, "-o", "jsonpath={.spec.target}").out())
        .isEqualTo("latest");
  }

  /**
   * The API server refuses a CEL rule over the schema names as too costly (unbounded item length),
   * so the CRD leaves them to the operator: admission accepts, the operator fails the request
   * naming the field, and no Job is ever created.
   */
  @Test
  void badSchemaIdentifierIsRefusedByTheOperatorNotAtAdmission() {
    String spec = onTarget("WO-1", CONFIG_MAP, "flyway: {schemas: [\"public; drop table orders\"]}\n");
    Kubectl.Result created = requester.runWithInput(Yaml.request(NS, "bad-schema", spec), "apply", "-f", "-");
    assertThat(created.ok()).as(created.toString()).isTrue();
    JsonNode failed = g.awaitVerdict(NS, "bad-schema", "Failed", "Failed", "InvalidSpec", GuardedCluster.VERDICT);
    assertThat(GuardedCluster.condition(failed, "Failed").path("message").asText()).contains("spec.flyway.schemas");
    assertThat(g.client.batch().v1().jobs().inAnyNamespace().withLabel("migrationgate.io/request-namespace", NS)
        .list().getItems()).isEmpty();
  }
}
