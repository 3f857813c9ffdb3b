package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The attack: a verify query that ends the runner's read-only transaction ({@code commit;}) and
 * then writes. The CRD refuses the plain case; a semicolon after a quote is beyond a CEL regex,
 * so the operator refuses that one (InvalidSpec) and no Job is ever created.
 */
@ExtendWith(SharedClusters.class)
class VerifyQueryEscapeIT {

  static final String NS = "verify-escape";
  static GuardedCluster g;
  static Kubectl requester;

  @BeforeAll
  static void namespace(GuardedCluster shared) {
    g = shared;
    g.createNamespace(NS);
    requester = g.requester;
  }

  static String spec(String sql) {
    return """
        workOrder: WO-1
        migrationTargetName: orders
        migrations: {configMap: {name: orders-migrations}}
        verify:
        - {name: escape, sql: "%s", expect: "1"}
        """.formatted(sql);
  }

  @Test
  void theApiServerRefusesAVerifyQueryThatCommitsAndWrites() {
    Kubectl.Result applied = requester.runWithInput(
        Yaml.request(NS, "commit-delete", spec("commit; delete from orders; select 1")), "apply", "-f", "-");

    assertThat(applied.ok()).as("accepted: " + applied).isFalse();
    assertThat(applied.err()).as(applied.toString())
        .contains("spec.verify[0].sql: Invalid value")
        .contains("verify sql must be exactly one statement");
  }

  @Test
  void theOperatorRefusesOneTheCrdCannotSeeAndCreatesNoJob() {
    Kubectl.Result applied = requester.runWithInput(
        Yaml.request(NS, "quoted-delete", spec("select ';'; commit; delete from orders")), "apply", "-f", "-");
    assertThat(applied.ok()).as(applied.toString()).isTrue();

    JsonNode failed = g.awaitVerdict(NS, "quoted-delete", "Failed", "Failed", "InvalidSpec", GuardedCluster.VERDICT);
    assertThat(GuardedCluster.condition(failed, "Failed").path("message").asText())
        .contains("spec.verify 'escape': holds 3 statements");
    assertThat(g.client.batch().v1().jobs().inNamespace(NS).list().getItems()).isEmpty();
  }
}
