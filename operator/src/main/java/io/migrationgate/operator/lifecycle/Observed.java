package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.migrationgate.api.v1alpha1.EvidenceStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What RequestObserver saw, for one decision. Suppliers are asked only when the decision gets that
 * far. The snapshot is the ConfigMap status.plan names (or the one just created); the Job is the
 * one whose uid status recorded or, before that, the one found at the request's Job name; the pod
 * is a pod of that Job; the evidence is what recording it just gave (a ConfigMap's name, or why
 * there is none). Built with {@link #of} and the {@link Builder}'s named parts; what is not given
 * is absent, and a namespace whose labels are not given is one the operator cannot see.
 *
 * @param namespaceLabels the cached namespace's labels; null when the namespace cannot be seen
 * @param liveNamespaceLabels the namespace's labels read from the API server at launch; null likewise
 * @param target the MigrationTarget the request names, from the cache; empty when it does not exist. For an
 *     inline database, a production target at the same address, if any
 */
public record Observed(
    MigrationRequest request,
    Map<String, String> namespaceLabels,
    Supplier<Map<String, String>> liveNamespaceLabels,
    Supplier<Optional<ConfigMap>> source,
    Optional<ConfigMap> snapshot,
    Optional<Job> job,
    Optional<Pod> pod,
    Supplier<Optional<MigrationRequest>> databaseAhead,
    Optional<EvidenceStatus> evidence,
    PlanRun planRun,
    Optional<MigrationTarget> target) {

  public static Builder of(MigrationRequest request) {
    return new Builder(request);
  }

  public Builder toBuilder() {
    return new Builder(request)
        .namespaceLabels(namespaceLabels)
        .liveNamespaceLabels(liveNamespaceLabels)
        .source(source)
        .snapshot(snapshot)
        .job(job)
        .pod(pod)
        .databaseAhead(databaseAhead)
        .evidence(evidence)
        .planRun(planRun)
        .target(target);
  }

  public Observed withRequest(MigrationRequest r) {
    return toBuilder().request(r).build();
  }

  public Observed withSnapshot(ConfigMap s) {
    return toBuilder().snapshot(Optional.of(s)).build();
  }

  public Observed withJob(Job j) {
    return toBuilder().job(Optional.of(j)).build();
  }

  public Observed withEvidence(EvidenceStatus e) {
    return toBuilder().evidence(Optional.of(e)).build();
  }

  public Observed withPlanRun(PlanRun p) {
    return toBuilder().planRun(p).build();
  }

  /** The parts of an observation by name; each starts absent (labels: not visible). */
  public static final class Builder {
    private MigrationRequest request;
    private Map<String, String> namespaceLabels;
    private Supplier<Map<String, String>> liveNamespaceLabels = () -> null;
    private Supplier<Optional<ConfigMap>> source = Optional::empty;
    private Optional<ConfigMap> snapshot = Optional.empty();
    private Optional<Job> job = Optional.empty();
    private Optional<Pod> pod = Optional.empty();
    private Supplier<Optional<MigrationRequest>> databaseAhead = Optional::empty;
    private Optional<EvidenceStatus> evidence = Optional.empty();
    private PlanRun planRun = PlanRun.none();
    private Optional<MigrationTarget> target = Optional.empty();

    private Builder(MigrationRequest request) {
      this.request = request;
    }

    public Builder request(MigrationRequest r) {
      this.request = r;
      return this;
    }

    public Builder namespaceLabels(Map<String, String> labels) {
      this.namespaceLabels = labels;
      return this;
    }

    public Builder liveNamespaceLabels(Supplier<Map<String, String>> labels) {
      this.liveNamespaceLabels = labels;
      return this;
    }

    public Builder source(Supplier<Optional<ConfigMap>> s) {
      this.source = s;
      return this;
    }

    public Builder snapshot(Optional<ConfigMap> s) {
      this.snapshot = s;
      return this;
    }

    public Builder job(Optional<Job> j) {
      this.job = j;
      return this;
    }

    public Builder pod(Optional<Pod> p) {
      this.pod = p;
      return this;
    }

    public Builder databaseAhead(Supplier<Optional<MigrationRequest>> ahead) {
      this.databaseAhead = ahead;
      return this;
    }

    public Builder evidence(Optional<EvidenceStatus> e) {
      this.evidence = e;
      return this;
    }

    public Builder planRun(PlanRun p) {
      this.planRun = p;
      return this;
    }

    public Builder target(Optional<MigrationTarget> t) {
      this.target = t;
      return this;
    }

    public Observed build() {
      return new Observed(request, namespaceLabels, liveNamespaceLabels, source, snapshot, job, pod, databaseAhead,
          evidence, planRun, target);
    }
  }
}
