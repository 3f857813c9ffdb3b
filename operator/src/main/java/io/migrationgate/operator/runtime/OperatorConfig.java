package io.migrationgate.operator.runtime;

import io.migrationgate.operator.lifecycle.NamespaceSelector;
import io.migrationgate.contract.Durations;
import io.migrationgate.operator.effects.RecordKeeper;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the operator can be told, read from environment variables so that the Helm chart,
 * a plain Deployment and a developer's shell configure it the same way.
 */
public record OperatorConfig(
    Set<String> watchedNamespaces,
    NamespaceSelector blockedNamespaces,
    String runnerImage,
    Duration defaultTimeout,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace,
    String leaseIdentity,
    boolean exitOnLostLease,
    int port,
    Duration recheckInterval,
    Set<String> serviceAccountApprovers,
    boolean databasePlan,
    int planJobsPerDatabase,
    int planJobsMax,
    int reconcileThreads,
    String runsNamespace,
    boolean inlineDatabases,
    Duration targetCheckInterval,
    int targetChecksMax,
    Duration runStartTimeout,
    RecordKeeper.Settings records,
    Duration testLaunchPause) {

  public static final String DEFAULT_RUNNER_IMAGE = "ghcr.io/migration-gate/migration-gate:0.1.0";
  public static final String DEFAULT_BLOCKED_SELECTOR = "environment=production";
  /**
   * Reconciles at once. A reconcile waits on the API server, not the CPU, so a few threads keep a
   * burst moving; each thread costs resident memory for as long as the process lives (JOSDK's
   * default is 50). Measured in docs/benchmarks.md.
   */
  public static final int DEFAULT_RECONCILE_THREADS = 10;
  /**
   * Plan Jobs at once in the cluster: each is a pod with a JVM (about 256 MiB requested) for a few
   * seconds, so a small cluster absorbs a few at a time; a GitOps burst queues behind them.
   */
  public static final int DEFAULT_PLAN_JOBS_MAX = 4;

  /** Reads the MG_* variables; a bad value stops start-up with a message naming the variable. */
  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    return new OperatorConfig(
        commaSeparated(env.getOrDefault("MG_WATCH_NAMESPACES", "")),
        parse(env, "MG_BLOCKED_NAMESPACE_SELECTOR", DEFAULT_BLOCKED_SELECTOR, NamespaceSelector::parse),
        env.getOrDefault("MG_RUNNER_IMAGE", DEFAULT_RUNNER_IMAGE),
        parse(env, "MG_DEFAULT_TIMEOUT", "15m", Durations::jobTimeout),
        parse(env, "MG_LEADER_ELECTION", "false", OperatorConfig::strictBoolean),
        env.getOrDefault("MG_LEASE_NAME", "migration-gate-leader"),
        env.getOrDefault("MG_LEASE_NAMESPACE", ""),
        env.getOrDefault("MG_LEASE_IDENTITY", env.getOrDefault("HOSTNAME", "")),
        parse(env, "MG_EXIT_ON_LOST_LEASE", "true", OperatorConfig::strictBoolean),
        parse(env, "MG_PORT", "8080", Integer::parseInt),
        parse(env, "MG_RECHECK_INTERVAL", "15s", Durations::parse),
        parse(env, "MG_APPROVER_SERVICE_ACCOUNTS", "", OperatorConfig::serviceAccounts),
        parse(env, "MG_DATABASE_PLAN", "true", OperatorConfig::strictBoolean),
        parse(env, "MG_PLAN_JOBS_PER_DATABASE", "1", value -> count(value, 1, 20)),
        parse(env, "MG_PLAN_JOBS_MAX", String.valueOf(DEFAULT_PLAN_JOBS_MAX), value -> count(value, 1, 500)),
        parse(env, "MG_RECONCILE_THREADS", String.valueOf(DEFAULT_RECONCILE_THREADS), value -> count(value, 1, 200)),
        // Where a MigrationTarget's Jobs run; empty: the namespace of the operator's kubeconfig context or pod.
        env.getOrDefault("MG_RUNS_NAMESPACE", ""),
        parse(env, "MG_INLINE_DATABASES", "false", OperatorConfig::strictBoolean),
        // A MigrationTarget's connection check runs on create, on each spec change and then every interval; 0s: no more.
        parse(env, "MG_TARGET_CHECK_INTERVAL", "10m", Durations::parse),
        parse(env, "MG_TARGET_CHECKS_MAX", "2", value -> count(value, 1, 50)),
        // A launched run whose pod started no container this long after its launch marker gives its database's turn back.
        parse(env, "MG_RUN_START_TIMEOUT", "10m", OperatorConfig::positiveDuration),
        records(env),
        // Test-only (local-cluster's fault injection): widens the launch's crash windows so a kill lands in them.
        parse(env, "MG_TEST_LAUNCH_PAUSE_MS", "0", ms -> Duration.ofMillis(Long.parseLong(ms))));
  }

  /**
   * Records are kept when a signing key is named (the chart always names one); without one there is
   * nothing to sign them with, and the operator keeps none.
   */
  private static RecordKeeper.Settings records(Map<String, String> env) {
    String secret = env.getOrDefault("MG_RECORD_SIGNING_SECRET", "").trim();
    String namespace = env.getOrDefault("MG_RECORD_NAMESPACE", "").trim();
    String keys = env.getOrDefault("MG_RECORD_KEYS_CONFIGMAP", "migration-gate-record-keys").trim();
    Duration retention = parse(env, "MG_RECORD_RETENTION_DAYS", "400", days -> Duration.ofDays(count(days, 1, 36500)));
    if (secret.isEmpty()) {
      return null;
    }
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException("MG_RECORD_SIGNING_SECRET=" + secret + " needs MG_RECORD_NAMESPACE, the "
          + "namespace of that Secret and of the public keys ConfigMap");
    }
    return new RecordKeeper.Settings(namespace, secret, keys, retention);
  }

  private static int count(String value, int min, int max) {
    int count = Integer.parseInt(value.trim());
    if (count < min || count > max) {
      throw new IllegalArgumentException("expected a number from " + min + " to " + max);
    }
    return count;
  }

  private static boolean strictBoolean(String value) {
    return switch (value.trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  private static Duration positiveDuration(String text) {
    Duration duration = Durations.parse(text);
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("must be longer than zero, like 10m");
    }
    return duration;
  }

  /** For MG_WATCH_NAMESPACES an empty set means every namespace. */
  private static Set<String> commaSeparated(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Full usernames only: a bare name would silently allow nothing, which nobody meant. */
  private static Set<String> serviceAccounts(String commaSeparated) {
    Set<String> names = commaSeparated(commaSeparated);
    for (String name : names) {
      if (!name.matches("system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
        throw new IllegalArgumentException("'" + name + "' is not a ServiceAccount's full username; write "
            + "system:serviceaccount:<namespace>:<name>");
      }
    }
    return names;
  }

  private static <T> T parse(
      Map<String, String> env, String name, String fallback, java.util.function.Function<String, T> parser) {
    String value = env.getOrDefault(name, fallback);
    try {
      return parser.apply(value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          name + "=" + value + " is not valid: " + e.getMessage(), e);
    }
  }
}
