package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.migrationgate.api.v1alpha1.EvidenceStatus;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The read-only plan Job of the current plan (status.plan.check.job), its pod, the evidence
 * recording its report just gave, and, asked only when the plan needs a Job, why it must wait for
 * a plan Job slot (empty: it may start one now). Start from {@link #none()} and add what was seen.
 */
public record PlanRun(Optional<Job> job, Optional<Pod> pod, Optional<EvidenceStatus> evidence,
    Supplier<Optional<String>> slotWait) {

  public static PlanRun none() {
    return new PlanRun(Optional.empty(), Optional.empty(), Optional.empty(), Optional::empty);
  }

  public PlanRun withJob(Job j) {
    return new PlanRun(Optional.of(j), pod, evidence, slotWait);
  }

  public PlanRun withPod(Pod p) {
    return new PlanRun(job, Optional.of(p), evidence, slotWait);
  }

  public PlanRun withEvidence(EvidenceStatus e) {
    return new PlanRun(job, pod, Optional.of(e), slotWait);
  }

  public PlanRun withSlotWait(Supplier<Optional<String>> wait) {
    return new PlanRun(job, pod, evidence, wait);
  }
}
