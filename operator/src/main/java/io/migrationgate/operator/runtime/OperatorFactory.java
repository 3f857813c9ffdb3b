package io.migrationgate.operator.runtime;

import io.migrationgate.operator.MigrationRequestReconciler;
import io.migrationgate.operator.MigrationTargetReconciler;
import io.migrationgate.operator.effects.ActionPerformer;
import io.migrationgate.operator.effects.DatabaseClaims;
import io.migrationgate.operator.effects.JobLauncher;
import io.migrationgate.operator.effects.EventRecorder;
import io.migrationgate.operator.effects.PlanJobSlots;
import io.migrationgate.operator.effects.RecordKeeper;
import io.migrationgate.operator.effects.StatusRecorder;
import io.migrationgate.operator.effects.TargetCheckJobs;
import io.migrationgate.operator.lifecycle.ApprovalPolicy;
import io.migrationgate.operator.lifecycle.JobFactory;
import io.migrationgate.operator.lifecycle.LaunchTokens;
import io.migrationgate.operator.lifecycle.ProductionGuard;
import io.migrationgate.operator.lifecycle.RequestLifecycle;
import io.migrationgate.operator.lifecycle.RunPlacement;
import io.migrationgate.operator.lifecycle.TargetAdmission;
import io.migrationgate.operator.watch.RequestObserver;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the JOSDK Operator from the configuration; the same wiring runs in production and in tests. */
public final class OperatorFactory {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorFactory.class);

  private OperatorFactory() {}

  public static Operator create(
      KubernetesClient client, OperatorConfig config, Clock clock, MeterRegistry metrics) {
    return create(client, config, clock, metrics, new LeaseHandOver(config));
  }

  public static Operator create(
      KubernetesClient client, OperatorConfig config, Clock clock, MeterRegistry metrics, LeaseHandOver lease) {
    Operator operator = new Operator(overrider -> {
      overrider.withKubernetesClient(client)
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(metrics))
          .checkingCRDAndValidateLocalModel(false)
          // The fabric8 mock API server has no server-side apply; production runs the same
          // update strategy the tests prove (docs/operations.md).
          .withUseSSAToPatchPrimaryResource(false)
          .withCloseClientOnStop(false)
          .withConcurrentReconciliationThreads(config.reconcileThreads())
          // On shutdown, reconciles in flight finish (a launch writes its marker, then its Job).
          .withReconciliationTerminationTimeout(Duration.ofSeconds(30));
      if (config.leaderElection()) {
        // A replica that loses its lease exits (and is restarted) rather than reconciling on; the
        // exit is LeaseHandOver's, not JOSDK's (see there why).
        overrider.withLeaderElectionConfiguration(new LeaderElectionConfiguration(
            config.leaseName(),
            config.leaseNamespace().isBlank() ? null : config.leaseNamespace(),
            LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
            LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
            lease.identity(),
            lease.callbacks(),
            false));
      }
    });
    RunPlacement placement = new RunPlacement(
        config.runsNamespace().isBlank() ? client.getNamespace() : config.runsNamespace());
    JobFactory jobFactory = new JobFactory(config.runnerImage(), config.defaultTimeout(), placement);
    StatusRecorder recorder = new StatusRecorder(clock, List.of(new EventRecorder(client), new RequestMetrics(metrics, clock)));
    DatabaseClaims databases = new DatabaseClaims();
    PlanJobSlots planSlots = new PlanJobSlots(config.planJobsPerDatabase(), config.planJobsMax());
    RecordKeeper records = new RecordKeeper(client, config.records(), clock);
    records.startSweeping();
    var reconciler = new MigrationRequestReconciler(
        new RequestLifecycle(new ProductionGuard(config.blockedNamespaces()),
            new TargetAdmission(config.inlineDatabases()), new ApprovalPolicy(config.serviceAccountApprovers()),
            jobFactory, config.databasePlan(), recorder::now, LaunchTokens::next, config.runStartTimeout()),
        new RequestObserver(databases, planSlots, placement),
        new ActionPerformer(jobFactory, new JobLauncher(config.testLaunchPause()), planSlots, recorder),
        databases,
        planSlots,
        recorder,
        records,
        config.recheckInterval(),
        placement,
        placement.ownedObjectNamespaces(Set.copyOf(config.watchedNamespaces()), config.inlineDatabases()));
    operator.register(reconciler, overrider -> {
      if (!config.watchedNamespaces().isEmpty()) {
        overrider.settingNamespaces(Set.copyOf(config.watchedNamespaces()));
      }
    });
    if (placement.runsNamespace() != null) {
      // Targets' check Jobs run in the runs namespace; without one (inline databases only) nothing checks them.
      operator.register(new MigrationTargetReconciler(new TargetCheckJobs(jobFactory, config.targetChecksMax(), clock),
          placement.runsNamespace(), config.targetCheckInterval(), clock));
    }
    LOG.info("watching {}; blocked namespaces: {}; runner image {}; MigrationTargets' Jobs in {}; inline databases {}",
        config.watchedNamespaces().isEmpty() ? "all namespaces" : config.watchedNamespaces(),
        config.blockedNamespaces(), config.runnerImage(), placement.runsNamespace(),
        config.inlineDatabases() ? "allowed" : "refused");
    return operator;
  }
}
