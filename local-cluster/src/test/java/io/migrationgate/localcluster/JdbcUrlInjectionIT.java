package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attack: a requester puts driver configuration into spec.database.url that runs SQL outside
 * the approved scripts (MariaDB's initSql, allowMultiQueries), loads classes (pgJDBC's
 * socketFactory), changes server settings (options) or redirects the connection (PGHOST,
 * Connector/J's address=(...) host form). The API server refuses each, naming the parameter; TLS and
 * timeouts pass, and the plan shows the approver where the scripts will run.
 */
@ExtendWith(SharedClusters.class)
class JdbcUrlInjectionIT {

  static final String NS = "url-injection";
  static GuardedCluster g;
  static Kubectl requester;

  @BeforeAll
  static void namespace(GuardedCluster shared) {
    g = shared;
    g.createNamespace(NS);
    requester = g.requester;
  }

  static String spec(String url, String configMap) {
    return """
        workOrder: WO-1
        database: {url: "%s", credentialsSecret: orders-db}
        migrations: {configMap: {name: %s}}
        """.formatted(url, configMap);
  }

  static String onTarget(String target) {
    return """
        workOrder: WO-1
        migrationTargetName: %s
        migrations: {configMap: {name: tls-scripts}}
        """.formatted(target);
  }

  static Stream<Arguments> injectedUrls() {
    String refused = " is not allowed in database.url; allowed for ";
    return Stream.of(
        Arguments.of("jdbc:mariadb://orders-db:3306/orders?initSql=delete from orders",
            "parameter initSql" + refused + "mariadb: sslMode|useSsl|connectTimeout|socketTimeout"),
        Arguments.of("jdbc:mariadb://orders-db:3306/orders?connectTimeout=10&INITSQL=select 1",
            "parameter INITSQL" + refused + "mariadb: "),
        Arguments.of("jdbc:mysql://orders-db:3306/orders?sslMode=trust&allowMultiQueries=true",
            "parameter allowMultiQueries" + refused + "mysql: "),
        Arguments.of("jdbc:mariadb://orders-db:3306/orders?sessionVariables=sql_mode=x",
            "parameter sessionVariables" + refused + "mariadb: "),
        Arguments.of("jdbc:postgresql://orders-db:5432/orders?socketFactory=org.example.Evil",
            "parameter socketFactory" + refused + "postgresql: ssl|sslmode|connectTimeout|"),
        Arguments.of("jdbc:postgresql://orders-db:5432/orders?options=-c default_transaction_read_only=off",
            "parameter options" + refused + "postgresql: "),
        Arguments.of("jdbc:postgresql://orders-db:5432/orders?sslmode=require&PGHOST=attacker.example",
            "parameter PGHOST" + refused + "postgresql: "),
        Arguments.of("jdbc:mariadb://address=(host=attacker.example)(port=3306)/orders",
            "database.url must look like jdbc:<postgresql|mysql|mariadb>://host[:port]"),
        Arguments.of("jdbc:mysql://orders-db:3306/orders;initSql=select 1",
            "database.url must look like jdbc:<postgresql|mysql|mariadb>://host[:port]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("injectedUrls")
  void theApiServerRefusesAUrlThatCarriesDriverConfiguration(String url, String expected) {
    String name = "injected-" + Integer.toHexString(url.hashCode());
    Kubectl.Result applied = requester.runWithInput(Yaml.request(NS, name, spec(url, "orders-migrations")), "apply", "-f", "-");

    assertThat(applied.ok()).as("accepted: " + applied).isFalse();
    assertThat(applied.err()).as(applied.toString()).contains("spec.database.url: Invalid value").contains(expected);
    assertThat(requester.run("get", "mr", name, "-n", NS).err()).contains("NotFound");

    // a platform engineer registering the same URL as a MigrationTarget meets the same allow-list
    Kubectl.Result registered = g.admin.runWithInput(Yaml.target(name, url, "orders-migrator", false), "apply", "-f", "-");
    assertThat(registered.ok()).as("accepted: " + registered).isFalse();
    assertThat(registered.err()).as(registered.toString()).contains("spec.database.url: Invalid value").contains(expected);
  }

  @Test
  void tlsAndTimeoutsAreAcceptedAndThePlanShowsWhereTheScriptsRun() {
    GuardedCluster.require(g.admin.runWithInput(String.join("---\n",
        Yaml.target("tls-postgres", "jdbc:postgresql://orders-db:5432/orders?sslmode=require&connectTimeout=10",
            "orders-migrator", false),
        Yaml.target("tls-mariadb", "jdbc:mariadb://shop-a.db,shop-b.db:3307/shop?sslMode=verify-full&socketTimeout=60000",
            "shop-migrator", false)), "apply", "-f", "-"));
    String yaml = String.join("---\n",
        Yaml.scripts(NS, "tls-scripts", Map.of("V1__create_orders.sql", "create table orders (id int);")),
        Yaml.request(NS, "tls-postgres", onTarget("tls-postgres")),
        Yaml.request(NS, "tls-mariadb", onTarget("tls-mariadb")));
    Kubectl.Result applied = requester.runWithInput(yaml, "apply", "-f", "-");
    assertThat(applied.ok()).as(applied.toString()).isTrue();

    try {
      assertThat(plannedDatabase("tls-postgres"))
          .isEqualTo("postgresql orders-db:5432, orders {\"connectTimeout\":\"10\",\"sslmode\":\"require\"}");
      assertThat(plannedDatabase("tls-mariadb"))
          .isEqualTo("mariadb shop-a.db:3306,shop-b.db:3307, shop {\"socketTimeout\":\"60000\",\"sslMode\":\"verify-full\"}");
    } finally {
      // these hosts do not exist: their plan Jobs cannot read a database, and should not go on trying
      g.admin.run("delete", "mr", "tls-postgres", "tls-mariadb", "-n", NS, "--wait=false");
    }
  }

  /**
   * Where the plan says the scripts will run. It is recorded with the scripts, before the plan Job
   * asks the database (which here does not exist).
   */
  private static String plannedDatabase(String name) {
    String jsonPath = "jsonpath={.status.plan.database.driver} "
        + "{range .status.plan.database.hosts[*]}{.host}:{.port},{end} "
        + "{.status.plan.database.database} {.status.plan.database.parameters}";
    g.awaitRequest(NS, name, "a planned database", r -> !r.at("/status/plan/database/driver").asText().isBlank(),
        GuardedCluster.PLANNED);
    return requester.run("get", "mr", name, "-n", NS, "-o", jsonPath).out();
  }
}
