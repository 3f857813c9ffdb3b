package io.migrationgate.localcluster.faults;

/**
 * What the harness does to the cluster, how often per request it does it in a run, and whether it
 * strikes while the requests are planned (before any approval) or in the approval waves.
 */
public enum FaultKind {
  LEADER_KILL("leader kill", 0.10, 3, false, false),
  STANDBY_KILL("standby kill", 0.025, 1, false, false),
  LEADER_SIGTERM("leader SIGTERM", 0.025, 1, false, false),
  API_SERVER_RESTART("apiserver restart", 0.025, 1, false, false),
  API_SERVER_STALL("apiserver stall", 0.02, 1, false, false),
  ETCD_RESTART("etcd restart", 0.025, 1, false, false),
  WATCH_DISCONNECTS("short watches", 0.015, 1, false, false),
  JOB_DELETE("Job deleted", 0.05, 1, true, false),
  POD_DELETE("pod deleted", 0.05, 1, true, false),
  NAMESPACE_PRODUCTION("ns to production", 0.025, 1, true, false),
  REJECTION("rejected after approval", 0.04, 1, true, false),
  PLAN_LEADER_KILL("leader kill while planning", 0.05, 2, false, true),
  DATABASE_RESTART("database restart while planning", 0.015, 1, false, true),
  PLAN_POD_DELETE("plan pod deleted", 0.025, 1, true, true);

  private final String label;
  private final double perRequest;
  private final int atLeast;
  private final boolean targetsRequest;
  private final boolean planning;

  FaultKind(String label, double perRequest, int atLeast, boolean targetsRequest, boolean planning) {
    this.label = label;
    this.perRequest = perRequest;
    this.atLeast = atLeast;
    this.targetsRequest = targetsRequest;
    this.planning = planning;
  }

  public String label() {
    return label;
  }

  /** How many of this fault a run of {@code requests} requests gets. */
  int count(int requests) {
    return Math.max(atLeast, (int) Math.ceil(perRequest * requests));
  }

  /** Done to one request (its Job, pod, namespace or annotations) rather than to a process. */
  boolean targetsRequest() {
    return targetsRequest;
  }

  /** Strikes while the requests are planned, before the first approval. */
  boolean planning() {
    return planning;
  }

  /** Needs the target held in the database queue, so the revocation lands between approval and launch. */
  boolean revokes() {
    return this == NAMESPACE_PRODUCTION || this == REJECTION;
  }
}
