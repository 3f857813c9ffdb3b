package io.migrationgate.localcluster.faults;

/** What the harness does to the cluster, and how often per request it does it in a run. */
public enum FaultKind {
  LEADER_KILL("leader kill", 0.10, 3, false),
  STANDBY_KILL("standby kill", 0.025, 1, false),
  LEADER_SIGTERM("leader SIGTERM", 0.025, 1, false),
  API_SERVER_RESTART("apiserver restart", 0.025, 1, false),
  API_SERVER_STALL("apiserver stall", 0.02, 1, false),
  ETCD_RESTART("etcd restart", 0.025, 1, false),
  WATCH_DISCONNECTS("short watches", 0.015, 1, false),
  JOB_DELETE("Job deleted", 0.05, 1, true),
  POD_DELETE("pod deleted", 0.05, 1, true),
  NAMESPACE_PRODUCTION("ns to production", 0.025, 1, true),
  REJECTION("rejected after approval", 0.04, 1, true);

  private final String label;
  private final double perRequest;
  private final int atLeast;
  private final boolean targetsRequest;

  FaultKind(String label, double perRequest, int atLeast, boolean targetsRequest) {
    this.label = label;
    this.perRequest = perRequest;
    this.atLeast = atLeast;
    this.targetsRequest = targetsRequest;
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

  /** Needs the target held in the database queue, so the revocation lands between approval and launch. */
  boolean revokes() {
    return this == NAMESPACE_PRODUCTION || this == REJECTION;
  }
}
