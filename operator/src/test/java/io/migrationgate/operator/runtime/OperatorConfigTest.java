package io.migrationgate.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migrationgate.operator.effects.RecordKeeper;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void defaultsAreSafe() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of());
    assertThat(config.watchedNamespaces()).isEmpty();
    assertThat(config.blockedNamespaces().matches(Map.of("environment", "production"))).isTrue();
    assertThat(config.defaultTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.leaderElection()).isFalse();
    assertThat(config.exitOnLostLease()).isTrue();
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.testLaunchPause()).isZero();
    assertThat(config.databasePlan()).as("approvers see the database's view by default").isTrue();
    assertThat(OperatorConfig.fromEnvironment(Map.of("MG_DATABASE_PLAN", "false")).databasePlan()).isFalse();
  }

  @Test
  void variablesAreRead() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
        "MG_WATCH_NAMESPACES", "team-a, team-b,", "MG_BLOCKED_NAMESPACE_SELECTOR", "tier in (prod)",
        "MG_DEFAULT_TIMEOUT", "1h30m", "MG_LEADER_ELECTION", "true", "MG_RECHECK_INTERVAL", "2s"));
    assertThat(config.watchedNamespaces()).isEqualTo(Set.of("team-a", "team-b"));
    assertThat(config.blockedNamespaces().matches(Map.of("tier", "prod"))).isTrue();
    assertThat(config.defaultTimeout()).isEqualTo(Duration.ofMinutes(90));
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.recheckInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(OperatorConfig.fromEnvironment(Map.of("MG_TEST_LAUNCH_PAUSE_MS", "750")).testLaunchPause())
        .isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void aMistypedSwitchStopsStartUpInsteadOfMeaningFalse() {
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("MG_EXIT_ON_LOST_LEASE", "yes")))
        .hasMessageContaining("MG_EXIT_ON_LOST_LEASE=yes").hasMessageContaining("true or false");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("MG_LEADER_ELECTION", "True ")))
        .hasMessageContaining("MG_LEADER_ELECTION");
  }

  @Test
  void aDefaultTimeoutOutsideTheCrdBoundsIsRefused() {
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("MG_DEFAULT_TIMEOUT", "0s")))
        .hasMessageContaining("MG_DEFAULT_TIMEOUT=0s").hasMessageContaining("between 1m and 24h");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("MG_DEFAULT_TIMEOUT", "soon")))
        .hasMessageContaining("MG_DEFAULT_TIMEOUT");
  }

  @Test
  void reconcileThreadsAreBoundedAndDefaultToAFew() {
    assertThat(OperatorConfig.fromEnvironment(Map.of()).reconcileThreads())
        .isEqualTo(OperatorConfig.DEFAULT_RECONCILE_THREADS);
    assertThat(OperatorConfig.fromEnvironment(Map.of("MG_RECONCILE_THREADS", "25")).reconcileThreads()).isEqualTo(25);
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("MG_RECONCILE_THREADS", "0")))
        .hasMessageContaining("MG_RECONCILE_THREADS=0").hasMessageContaining("from 1 to 200");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("MG_RECONCILE_THREADS", "many")))
        .hasMessageContaining("MG_RECONCILE_THREADS=many");
  }

  @Test
  void planJobsAreBoundedPerDatabaseAndInAll() {
    OperatorConfig defaults = OperatorConfig.fromEnvironment(Map.of());
    assertThat(defaults.planJobsPerDatabase()).isEqualTo(1);
    assertThat(defaults.planJobsMax()).isEqualTo(OperatorConfig.DEFAULT_PLAN_JOBS_MAX);
    OperatorConfig set = OperatorConfig.fromEnvironment(Map.of("MG_PLAN_JOBS_PER_DATABASE", "2", "MG_PLAN_JOBS_MAX", "10"));
    assertThat(set.planJobsPerDatabase()).isEqualTo(2);
    assertThat(set.planJobsMax()).isEqualTo(10);
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("MG_PLAN_JOBS_MAX", "0")))
        .hasMessageContaining("MG_PLAN_JOBS_MAX=0").hasMessageContaining("from 1 to 500");
  }

  @Test
  void anEmptyBlockedSelectorIsRefused() {
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("MG_BLOCKED_NAMESPACE_SELECTOR", "")))
        .hasMessageContaining("MG_BLOCKED_NAMESPACE_SELECTOR");
  }

  @Test
  void aBlockedSelectorWithAnEmptyValueSetStopsStartUp() {
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("MG_BLOCKED_NAMESPACE_SELECTOR", "environment in ()")))
        .hasMessageContaining("MG_BLOCKED_NAMESPACE_SELECTOR=environment in () is not valid")
        .hasMessageContaining("would block nothing");
  }

  @Test
  void serviceAccountApproversAreFullUsernamesAndNoneByDefault() {
    assertThat(OperatorConfig.fromEnvironment(Map.of()).serviceAccountApprovers()).isEmpty();
    assertThat(OperatorConfig.fromEnvironment(Map.of("MG_APPROVER_SERVICE_ACCOUNTS",
        "system:serviceaccount:ci:release-bot, system:serviceaccount:ops:approver")).serviceAccountApprovers())
        .containsExactlyInAnyOrder("system:serviceaccount:ci:release-bot", "system:serviceaccount:ops:approver");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("MG_APPROVER_SERVICE_ACCOUNTS", "release-bot")))
        .hasMessageContaining("MG_APPROVER_SERVICE_ACCOUNTS=release-bot")
        .hasMessageContaining("system:serviceaccount:<namespace>:<name>");
  }

  @Test
  void recordsAreKeptOnlyWithASigningKeyAndItsNamespace() {
    assertThat(OperatorConfig.fromEnvironment(Map.of()).records()).as("no key, no records").isNull();
    assertThat(OperatorConfig.fromEnvironment(Map.of("MG_RECORD_SIGNING_SECRET", "key", "MG_RECORD_NAMESPACE",
        "migration-gate", "MG_RECORD_KEYS_CONFIGMAP", "keys", "MG_RECORD_RETENTION_DAYS", "30")).records())
        .isEqualTo(new RecordKeeper.Settings("migration-gate", "key", "keys", Duration.ofDays(30)));
    assertThat(OperatorConfig.fromEnvironment(Map.of("MG_RECORD_SIGNING_SECRET", "key", "MG_RECORD_NAMESPACE",
        "migration-gate")).records().retention()).isEqualTo(Duration.ofDays(400));
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("MG_RECORD_SIGNING_SECRET", "key")))
        .hasMessageContaining("MG_RECORD_SIGNING_SECRET=key needs MG_RECORD_NAMESPACE");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("MG_RECORD_RETENTION_DAYS", "0")))
        .hasMessageContaining("MG_RECORD_RETENTION_DAYS=0 is not valid").hasMessageContaining("from 1 to 36500");
  }
}
