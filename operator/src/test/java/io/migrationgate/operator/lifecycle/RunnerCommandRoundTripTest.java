package io.migrationgate.operator.lifecycle;

import io.migrationgate.operator.Requests;
import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.api.v1alpha1.FlywaySpec;
import io.migrationgate.api.v1alpha1.ImageSource;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.VerifySpec;
import io.migrationgate.contract.PlannedState;
import io.migrationgate.contract.RunReport;
import io.migrationgate.contract.CredentialsSource;
import io.migrationgate.contract.RunnerCommand;
import io.migrationgate.contract.RunnerCommandParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the operator writes into the Job is what the runner reads, option for option. */
class RunnerCommandRoundTripTest {

  private static final String DIGEST = "sha256:" + "c".repeat(64);
  private final JobFactory factory = new JobFactory("registry.test/migration-gate@sha256:" + "d".repeat(64), Duration.ofMinutes(20), new RunPlacement("migration-gate"));

  private static MigrationRequest planned(MigrationRequest request) {
    return Requests.launched(request, DIGEST);
  }

  private List<String> jobArgs(MigrationRequest request) {
    return factory.build(request).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
  }

  private static MigrationRequest everySetting() {
    MigrationRequest request = planned(Requests.request("staging", "orders", "jdbc:postgresql://pg-a,pg-b:5433/orders?sslmode=verify-full"));
    request.getSpec().target = "2_1";
    FlywaySpec flyway = new FlywaySpec();
    flyway.schemas = List.of("app", "audit");
    flyway.table = "schema_history";
    flyway.outOfOrder = true;
    flyway.baselineOnMigrate = true;
    flyway.baselineVersion = "1.5";
    flyway.placeholders = new LinkedHashMap<>(Map.of("owner", "app_owner"));
    flyway.placeholders.put("quote", "it's \"quoted\", {braced} & =equal=");
    request.getSpec().flyway = flyway;
    VerifySpec second = new VerifySpec();
    second.name = "no orphans";
    second.sql = "select count(*) from orders where customer is null";
    second.expect = "0";
    request.getSpec().verify = List.of(request.getSpec().verify.get(0), second);
    request.getSpec().database.usernameKey = "password";
    return request;
  }

  @Test
  void jobArgumentsParseIntoTheCommandThatWritesThemAgain() throws Exception {
    for (MigrationRequest request : List.of(planned(Requests.request("staging", "orders")), everySetting())) {
      List<String> args = jobArgs(request);

      RunnerCommand command = RunnerCommandParser.parse(args);

      assertThat(command.toArgs()).as(String.join(" ", args)).isEqualTo(args);
      assertThat(command).isEqualTo(JobFactory.runnerCommand(request, request.getStatus().plan, JobFactory.RUN));
    }
  }

  @Test
  void theRunnerReadsEverySettingOfTheSpec() throws Exception {
    MigrationRequest request = everySetting();

    RunnerCommand command = RunnerCommandParser.parse(jobArgs(request));

    assertThat(command.scriptsDir()).contains(Path.of(JobFactory.SCRIPTS_DIR));
    assertThat(command.expectedDigest()).contains(DIGEST);
    assertThat(command.expectedState()).as("no database plan pinned yet").isEmpty();
    assertThat(command.url()).isEqualTo(request.getSpec().database.url);
    assertThat(command.credentialsSecret()).as("by name, for the runner's messages; the values come from env")
        .contains(new CredentialsSource("orders-db-migrator", "password", "password"));
    assertThat(command.target()).isEqualTo("2_1");
    assertThat(command.schemas()).containsExactly("app", "audit");
    assertThat(command.table()).isEqualTo("schema_history");
    assertThat(command.outOfOrder()).isTrue();
    assertThat(command.baselineOnMigrate()).isTrue();
    assertThat(command.baselineVersion()).contains("1.5");
    assertThat(command.placeholders()).containsExactlyEntriesOf(request.getSpec().flyway.placeholders);
    assertThat(command.verifyQueries()).extracting(io.migrationgate.contract.VerifyQuery::name)
        .containsExactly("status column exists", "no orphans");
    assertThat(command.reportFile()).contains(RunnerCommand.DEFAULT_REPORT_FILE);
  }

  @Test
  void anExpectedStateAddedToTheJobCommandReachesTheRunnerUnchanged() throws Exception {
    RunnerCommand written = JobFactory.runnerCommand(everySetting(), everySetting().getStatus().plan, JobFactory.RUN);
    PlannedState state = PlannedState.of("2", List.of(
        new RunReport.HistoryEntry("1", "init", "V1__init.sql", 1234, true),
        new RunReport.HistoryEntry("2", "add status", "V2__add_status.sql", -99, true)));
    RunnerCommand pinned = new RunnerCommand(written.scriptsDir(), written.scriptsImage(), written.expectedDigest(), Optional.of(state),
        written.url(), written.credentialsSecret(), written.target(), written.schemas(), written.table(), written.outOfOrder(),
        written.baselineOnMigrate(), written.baselineVersion(), written.placeholders(), written.verifyQueries(),
        written.connectTimeout(), written.verifyTimeout(), written.reportFile());

    RunnerCommand read = RunnerCommandParser.parse(pinned.toArgs());

    assertThat(read).isEqualTo(pinned);
    assertThat(read.expectedState()).contains(state);
    assertThat(pinned.toArgs()).contains("--expected-state=" + state);
  }

  @Test
  void anImageSourceCarriesNoExpectedDigestEitherWay() throws Exception {
    MigrationRequest request = planned(Requests.request("staging", "orders"));
    request.getSpec().migrations.configMap = null;
    request.getSpec().migrations.image = new ImageSource();
    request.getSpec().migrations.image.ref = "registry.test/orders-migrations@sha256:" + "e".repeat(64);

    List<String> args = jobArgs(request);

    assertThat(RunnerCommandParser.parse(args).expectedDigest()).isEmpty();
    assertThat(RunnerCommandParser.parse(args).toArgs()).isEqualTo(args);
    assertThat(RunnerCommandParser.parse(args).scriptsDir()).as("the run reads what copy-scripts copied")
        .contains(Path.of(JobFactory.SCRIPTS_DIR));
  }

  @Test
  void theImageSourcesPlanNamesTheImageAndMountsNoScripts() throws Exception {
    MigrationRequest request = planned(Requests.request("staging", "orders"));
    request.getSpec().migrations.configMap = null;
    request.getSpec().migrations.image = new ImageSource();
    request.getSpec().migrations.image.ref = "registry.test/orders-migrations@sha256:" + "e".repeat(64);
    request.getStatus().plan.check = new DatabaseCheck();
    request.getStatus().plan.check.job = "orders-check-1";
    request.getStatus().plan.check.launchToken = "t";

    List<String> args = factory.buildPlan(request, request.getStatus().plan).getSpec().getTemplate().getSpec()
        .getContainers().get(0).getArgs();
    RunnerCommand command = RunnerCommandParser.parse(args);

    assertThat(command).isEqualTo(JobFactory.runnerCommand(request, request.getStatus().plan, JobFactory.PLAN));
    assertThat(command.toArgs()).isEqualTo(args);
    assertThat(command.scriptsImage()).contains(request.getSpec().migrations.image.ref);
    assertThat(command.scriptsDir()).isEmpty();
  }
}
