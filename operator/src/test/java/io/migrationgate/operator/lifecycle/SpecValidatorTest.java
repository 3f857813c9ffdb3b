package io.migrationgate.operator.lifecycle;

import io.migrationgate.operator.Requests;
import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.api.v1alpha1.ImageSource;
import io.migrationgate.api.v1alpha1.MigrationRequestSpec;
import io.migrationgate.api.v1alpha1.VerifySpec;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Bad specs the operator refuses even when the CRD schema did not (one test per mistake). */
class SpecValidatorTest {

  private static String problems(Consumer<MigrationRequestSpec> mistake) {
    MigrationRequestSpec spec = Requests.request("staging", "orders").getSpec();
    mistake.accept(spec);
    return SpecValidator.problems(spec).orElse("");
  }

  @Test
  void theExampleSpecIsValid() {
    assertThat(problems(spec -> {})).isEmpty();
  }

  @Test
  void missingWorkOrder() {
    assertThat(problems(s -> s.workOrder = " ")).contains("spec.workOrder");
  }

  @Test
  void passwordInTheJdbcUrl() {
    assertThat(problems(s -> s.database.url = "jdbc:postgresql://db/orders?user=app&password=secret"))
        .contains("spec.database.url must not carry credentials");
  }

  @Test
  void userinfoInTheJdbcUrl() {
    assertThat(problems(s -> s.database.url = "jdbc:mysql://app:secret@db/orders")).contains("credentials");
  }

  @Test
  void unsupportedDatabase() {
    assertThat(problems(s -> s.database.url = "jdbc:oracle:thin:@db:1521/orders")).contains("jdbc:postgresql://");
  }

  @Test
  void missingCredentialsSecret() {
    assertThat(problems(s -> s.database.credentialsSecret = null)).contains("spec.database.credentialsSecret");
  }

  @Test
  void bothMigrationSources() {
    assertThat(problems(s -> {
      s.migrations.image = new ImageSource();
      s.migrations.image.ref = "x@sha256:" + "a".repeat(64);
    })).contains("exactly one source");
  }

  @Test
  void noMigrationSource() {
    assertThat(problems(s -> s.migrations.configMap = null)).contains("exactly one source");
  }

  @Test
  void imageNotPinnedByDigest() {
    assertThat(problems(s -> {
      s.migrations.configMap = null;
      s.migrations.image = new ImageSource();
      s.migrations.image.ref = "registry/orders-migrations:latest";
    })).contains("pinned by digest");
  }

  @Test
  void targetThatIsNotAVersion() {
    assertThat(problems(s -> s.target = "newest")).contains("spec.target");
  }

  @Test
  void timeoutTooShortTooLongOrGarbled() {
    assertThat(problems(s -> s.timeout = "30s")).contains("between 1m and 24h");
    assertThat(problems(s -> s.timeout = "2d")).contains("spec.timeout");
    assertThat(problems(s -> s.timeout = "25h")).contains("between 1m and 24h");
  }

  @Test
  void schemaNameThatIsNotAnIdentifier() {
    assertThat(problems(s -> {
      s.flyway = new io.migrationgate.api.v1alpha1.FlywaySpec();
      s.flyway.schemas = List.of("public", "app; drop table x");
    })).contains("spec.flyway.schemas", "app; drop table x");
  }

  @Test
  void historyTableNameThatIsNotAnIdentifier() {
    assertThat(problems(s -> {
      s.flyway = new io.migrationgate.api.v1alpha1.FlywaySpec();
      s.flyway.table = "history\"; drop table orders; --";
    })).contains("spec.flyway.table", "plain identifier");
  }

  @Test
  void duplicateOrIncompleteVerifyQueries() {
    VerifySpec q = new VerifySpec();
    q.name = "rows";
    q.sql = "select 1";
    q.expect = "1";
    assertThat(problems(s -> s.verify = List.of(q, q))).contains("'rows' appears twice");
    assertThat(problems(s -> s.verify = List.of(new VerifySpec()))).contains("name, sql and expect");
  }

  @Test
  void urlParameterThatRunsSqlOrLoadsCode() {
    assertThat(problems(s -> s.database.url = "jdbc:mariadb://db:3306/orders?initSql=delete%20from%20orders"))
        .contains("spec.database.url: parameter initSql is not allowed; allowed for mariadb: sslMode,");
    assertThat(problems(s -> s.database.url = "jdbc:mysql://db/orders?sslMode=trust&ALLOWMULTIQUERIES=true"))
        .contains("parameter ALLOWMULTIQUERIES is not allowed");
    assertThat(problems(s -> s.database.url = "jdbc:postgresql://db/orders?socketFactory=x.Evil"))
        .contains("parameter socketFactory is not allowed; allowed for postgresql: ssl, sslmode,");
    assertThat(problems(s -> s.database.url = "jdbc:postgresql://db/orders?PGHOST=elsewhere"))
        .contains("parameter PGHOST is not allowed");
  }

  @Test
  void urlWithAHostFormOrSeparatorOutsideTheAllowedShape() {
    assertThat(problems(s -> s.database.url = "jdbc:mariadb://address=(host=elsewhere)(port=3306)/orders"))
        .contains("spec.database.url: must look like jdbc:<postgresql|mysql|mariadb>://host[:port]");
    assertThat(problems(s -> s.database.url = "jdbc:mysql://db/orders;initSql=select 1"))
        .contains("must look like");
  }

  @Test
  void urlWithTlsAndTimeoutsIsValid() {
    assertThat(problems(s -> s.database.url = "jdbc:postgresql://db:5432/orders?sslmode=require&connectTimeout=10"))
        .isEmpty();
    assertThat(problems(s -> s.database.url = "jdbc:mariadb://db/orders?sslMode=verify-full&socketTimeout=60000"))
        .isEmpty();
  }

  @Test
  void verifyQueryOfSeveralStatements() {
    VerifySpec q = new VerifySpec();
    q.name = "escape";
    q.sql = "commit; delete from orders; select 1";
    q.expect = "1";
    assertThat(problems(s -> s.verify = List.of(q)))
        .contains("spec.verify 'escape': holds 3 statements; a verify query must be exactly one statement");
  }

  @Test
  void baselineVersionThatIsNotAVersion() {
    assertThat(problems(s -> {
      s.flyway = new io.migrationgate.api.v1alpha1.FlywaySpec();
      s.flyway.baselineVersion = "1.x";
    })).contains("spec.flyway.baselineVersion");
  }

  @Test
  void targetLatestOnlyInLowerCaseAndCredentialsInEverySpelling() {
    assertThat(problems(s -> s.target = "LATEST")).contains("spec.target");
    assertThat(problems(s -> s.database.url = "jdbc:postgresql://db/orders?pwd=x")).contains("must not carry credentials");
    assertThat(problems(s -> s.database.url = "jdbc:postgresql://app@db/orders")).contains("must not carry credentials");
  }
}
