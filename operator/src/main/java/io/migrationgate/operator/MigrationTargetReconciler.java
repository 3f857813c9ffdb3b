package io.migrationgate.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.api.v1alpha1.MigrationTargetStatus;
import io.migrationgate.operator.effects.TargetCheckJobs;
import io.migrationgate.operator.lifecycle.JobObserver;
import io.migrationgate.operator.lifecycle.TargetAddresses;
import io.migrationgate.operator.lifecycle.TargetChecks;
import io.migrationgate.operator.watch.TargetPeers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one writer of MigrationTarget status: it runs a target's read-only connection check Job when
 * one is due ({@link TargetChecks}), records what the Job found, deletes the Job, and says whether
 * another target names the same database ({@link TargetAddresses}).
 */
@ControllerConfiguration(name = "migrationtarget", generationAwareEventProcessing = false)
public class MigrationTargetReconciler implements Reconciler<MigrationTarget> {

  /** How soon to look again when the limit of check Jobs running at once is reached, or a create was refused. */
  static final Duration RETRY = Duration.ofSeconds(10);

  private final TargetCheckJobs checks;
  private final String runsNamespace;
  private final Duration period;
  private final Clock clock;
  private InformerEventSource<Job, MigrationTarget> jobs;
  private InformerEventSource<Pod, MigrationTarget> pods;
  private InformerEventSource<MigrationTarget, MigrationTarget> peerTargets;

  public MigrationTargetReconciler(TargetCheckJobs checks, String runsNamespace, Duration period, Clock clock) {
    this.checks = checks;
    this.runsNamespace = runsNamespace;
    this.period = period;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, MigrationTarget>> prepareEventSources(EventSourceContext<MigrationTarget> context) {
    jobs = new InformerEventSource<>(checkObjects(InformerEventSourceConfiguration.from(Job.class, MigrationTarget.class))
        .withSecondaryToPrimaryMapper(TargetPeers::checked).build(), context);
    pods = new InformerEventSource<>(checkObjects(InformerEventSourceConfiguration.from(Pod.class, MigrationTarget.class))
        .withSecondaryToPrimaryMapper(TargetPeers::checked).build(), context);
    var peers = new TargetPeers(context.getPrimaryCache()::list, runsNamespace);
    peerTargets = new InformerEventSource<>(InformerEventSourceConfiguration.from(MigrationTarget.class,
            MigrationTarget.class)
        .withName("peer-targets")
        .withOnUpdateFilter(TargetPeers::addressChanged)
        .withSecondaryToPrimaryMapper(peers)
        .withPrimaryToSecondaryMapper(target -> Set.of())
        .build(), context);
    return List.of(jobs, pods, peerTargets);
  }

  private <R extends io.fabric8.kubernetes.api.model.HasMetadata> InformerEventSourceConfiguration.Builder<R>
      checkObjects(InformerEventSourceConfiguration.Builder<R> builder) {
    return builder.withLabelSelector(TargetChecks.TARGET_UID_KEY).withNamespaces(Set.of(runsNamespace))
        .withFollowControllerNamespacesChanges(false);
  }

  @Override
  public UpdateControl<MigrationTarget> reconcile(MigrationTarget target, Context<MigrationTarget> context) {
    Instant now = clock.instant();
    MigrationTargetStatus status = target.getStatus() == null ? new MigrationTargetStatus() : target.getStatus();
    Optional<Duration> next = Optional.empty();
    Optional<Job> concluded = Optional.empty();
    Optional<Job> job = jobs.get(new ResourceID(TargetChecks.jobName(target), runsNamespace));
    if (job.isPresent() && job.get().getMetadata().getDeletionTimestamp() == null) {
      String jobUid = job.get().getMetadata().getUid();
      Optional<Pod> pod = pods.getSecondaryResources(target).stream()
          .filter(p -> p.getMetadata().getOwnerReferences().stream().anyMatch(o -> jobUid.equals(o.getUid())))
          .findFirst();
      Optional<Condition> reachable = TargetChecks.reachable(JobObserver.observe(job.get(), pod));
      if (reachable.isPresent()) {
        status = TargetChecks.checked(target, job.get(), reachable.get(), now);
        concluded = job;
        next = TargetChecks.dueIn(withStatus(target, status), now, period);
      }
    } else if (job.isEmpty()) {
      next = TargetChecks.dueIn(target, now, period);
      if (next.isPresent() && next.get().isZero()) {
        Optional<String> full = checks.create(target, jobs.list().toList(), context.getClient());
        next = full.map(why -> RETRY);
      }
    }
    // The peers as the informer whose event brought a peer's change here has them: the primary cache
    // may not show that change yet.
    status = withConditions(target, status, peerTargets.list().toList(), now);
    TargetCheckJobs.writeStatus(target, status, context.getClient());
    // Only once its outcome is written: a refused write leaves the Job to be read again.
    concluded.ifPresent(done -> checks.delete(done, context.getClient()));
    UpdateControl<MigrationTarget> control = UpdateControl.noUpdate();
    return next.map(control::rescheduleAfter).orElse(control);
  }

  /** Reachable (Unknown until a check concluded) and DuplicateAddress, beside what the check recorded. */
  private MigrationTargetStatus withConditions(MigrationTarget target, MigrationTargetStatus status,
      List<MigrationTarget> all, Instant now) {
    MigrationTargetStatus next = new MigrationTargetStatus();
    next.observedGeneration = status.observedGeneration;
    next.lastCheckedAt = status.lastCheckedAt;
    next.conditions = new ArrayList<>(status.conditions);
    // A target made production after a check keeps no Reachable from before: nothing checks it now.
    if (Boolean.TRUE.equals(target.getSpec().production)) {
      next.conditions.removeIf(c -> MigrationTargetStatus.REACHABLE.equals(c.getType())
          && !Reason.PRODUCTION_TARGET.equals(c.getReason()));
    }
    if (next.conditions.stream().noneMatch(c -> MigrationTargetStatus.REACHABLE.equals(c.getType()))) {
      next.conditions.add(0, TargetChecks.notCheckedYet(target, now));
    }
    Condition duplicate = TargetAddresses.condition(TargetAddresses.sharing(target, all, runsNamespace));
    next.conditions = TargetAddresses.withDuplicate(next, duplicate, target.getMetadata().getGeneration(),
        now.toString());
    return next;
  }

  private static MigrationTarget withStatus(MigrationTarget target, MigrationTargetStatus status) {
    MigrationTarget copy = new MigrationTarget();
    copy.setMetadata(target.getMetadata());
    copy.setSpec(target.getSpec());
    copy.setStatus(status);
    return copy;
  }
}
