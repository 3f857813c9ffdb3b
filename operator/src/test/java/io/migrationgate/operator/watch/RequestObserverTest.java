package io.migrationgate.operator.watch;

import io.migrationgate.operator.lifecycle.RunPlacement;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.api.v1alpha1.JobStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.PlanStatus;
import io.migrationgate.operator.Requests;
import io.migrationgate.operator.effects.DatabaseClaims;
import io.migrationgate.operator.effects.PlanJobSlots;
import io.migrationgate.operator.lifecycle.Observed;
import io.migrationgate.operator.lifecycle.TrustedObjects;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which objects and labels a decision is made on, read from stand-ins for the caches and the API server. */
class RequestObserverTest {

  private final RequestObserver observer = new RequestObserver(new DatabaseClaims(), new PlanJobSlots(1, 4), new RunPlacement("migration-gate"));
  private final FakeSources sources = new FakeSources();

  /** What the caches hold and what the API server would answer; every live read is counted. */
  private static final class FakeSources implements RequestObserver.Sources {
    final Set<Job> jobs = new HashSet<>();
    final Set<Pod> pods = new HashSet<>();
    final Set<ConfigMap> configMaps = new HashSet<>();
    Optional<Namespace> namespace = Optional.empty();
    final List<Job> liveJobs = new ArrayList<>();
    final List<ConfigMap> liveConfigMaps = new ArrayList<>();
    Optional<Namespace> liveNamespace = Optional.empty();
    final List<String> liveReads = new ArrayList<>();

    @Override
    public Set<Job> cachedJobs() {
      return jobs;
    }

    @Override
    public Set<Pod> cachedPods() {
      return pods;
    }

    @Override
    public Set<ConfigMap> cachedConfigMaps() {
      return configMaps;
    }

    @Override
    public Optional<Namespace> cachedNamespace() {
      return namespace;
    }

    @Override
    public Optional<MigrationTarget> cachedTarget() {
      return Optional.empty();
    }

    @Override
    public List<MigrationTarget> cachedTargets() {
      return List.of();
    }

    @Override
    public List<MigrationRequest> cachedRequests() {
      return List.of();
    }

    @Override
    public Optional<Job> liveJob(String ns, String name) {
      liveReads.add("job " + name);
      return liveJobs.stream().filter(j -> j.getMetadata().getName().equals(name)).findFirst();
    }

    @Override
    public Optional<ConfigMap> liveConfigMap(String ns, String name) {
      liveReads.add("configmap " + name);
      return liveConfigMaps.stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst();
    }

    @Override
    public Optional<Namespace> liveNamespace(String name) {
      liveReads.add("namespace " + name);
      return liveNamespace;
    }
  }

  private static MigrationRequest launched(String jobUid) {
    MigrationRequest r = Requests.request("staging", "orders");
    r.getMetadata().setUid("request-uid");
    r.setStatus(new MigrationRequestStatus());
    r.getStatus().job = new JobStatus();
    r.getStatus().job.name = "orders-run";
    r.getStatus().job.uid = jobUid;
    return r;
  }

  private static Job job(String name, String uid) {
    return new JobBuilder().withNewMetadata().withName(name).withNamespace("staging").withUid(uid).endMetadata().build();
  }

  /** A pod the Job controller made for {@code job}, or a decoy with the same name pattern that it did not. */
  private static Pod pod(String name, Job job, String createdAt, boolean theJobControllers) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("staging")
        .withCreationTimestamp(createdAt).addNewOwnerReference().withKind("Job").withName(job.getMetadata().getName())
        .withUid(job.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata();
    if (theJobControllers) {
      pod.editMetadata().addToLabels(TrustedObjects.JOB_CONTROLLER_UID, job.getMetadata().getUid()).endMetadata();
    }
    return pod.build();
  }

  private static Namespace namespace(Map<String, String> labels) {
    return new NamespaceBuilder().withNewMetadata().withName("staging").withLabels(labels).endMetadata().build();
  }

  @Test
  void aNamespaceTheOperatorCannotSeeHasNoLabelsAtAllSoTheGuardFailsClosed() {
    Observed unseen = observer.observe(Requests.request("staging", "orders"), sources);
    assertThat(unseen.namespaceLabels()).isNull();
    assertThat(unseen.liveNamespaceLabels().get()).isNull();

    sources.namespace = Optional.of(namespace(null));
    sources.liveNamespace = Optional.of(namespace(Map.of("environment", "production")));
    Observed seen = observer.observe(Requests.request("staging", "orders"), sources);
    assertThat(seen.namespaceLabels()).as("a namespace without labels").isEmpty();
    assertThat(seen.liveNamespaceLabels().get()).containsEntry("environment", "production");
  }

  @Test
  void theNewestPodOfTheJobCountsAndADecoyWithItsLabelsDoesNot() {
    Job run = job("orders-run", "job-uid");
    sources.jobs.add(run);
    sources.pods.add(pod("orders-run-first", run, "2026-11-25T10:00:00Z", true));
    sources.pods.add(pod("orders-run-second", run, "2026-11-25T10:01:00Z", true));
    sources.pods.add(pod("orders-run-decoy", run, "2026-11-25T10:02:00Z", false));

    Observed observed = observer.observe(launched("job-uid"), sources);

    assertThat(observed.job()).contains(run);
    assertThat(observed.pod()).hasValueSatisfying(p -> assertThat(p.getMetadata().getName()).isEqualTo("orders-run-second"));
    assertThat(sources.liveReads).as("a recorded Job in the cache needs no live read").isEmpty();
  }

  @Test
  void aRecordedJobIsOnlyTheObjectWithThatUidUnderThatName() {
    sources.jobs.add(job("orders-run", "someone-elses-uid"));
    sources.liveJobs.add(job("orders-run", "someone-elses-uid"));
    assertThat(observer.observe(launched("job-uid"), sources).job()).isEmpty();

    sources.liveJobs.clear();
    sources.liveJobs.add(job("orders-run", "job-uid"));
    assertThat(observer.observe(launched("job-uid"), sources).job())
        .as("created a moment ago: the cache is behind, the API server is not")
        .hasValueSatisfying(j -> assertThat(j.getMetadata().getUid()).isEqualTo("job-uid"));
  }

  @Test
  void aJobWhoseUidIsNotRecordedIsReadLiveForItsPodTemplate() {
    // The cache keeps no pod templates; only a live read shows the launch token the lifecycle checks.
    sources.jobs.add(job("orders-run", "job-uid"));
    Job whole = new JobBuilder(job("orders-run", "job-uid")).withNewSpec().withNewTemplate().withNewMetadata()
        .addToAnnotations("migrationgate.io/launch-token", "t").endMetadata().endTemplate().endSpec().build();
    sources.liveJobs.add(whole);

    Observed observed = observer.observe(launched(null), sources);

    assertThat(observed.job()).contains(whole);
    assertThat(sources.liveReads).containsExactly("job orders-run");
  }

  @Test
  void theSnapshotIsTheRecordedOneFromTheCacheOrTheApiServer() {
    MigrationRequest r = Requests.request("staging", "orders");
    r.setStatus(new MigrationRequestStatus());
    r.getStatus().plan = new PlanStatus();
    r.getStatus().plan.snapshot = "orders-plan-x7k2p";
    r.getStatus().plan.snapshotUid = "snapshot-uid";
    ConfigMap decoy = new ConfigMapBuilder().withNewMetadata().withName("orders-plan-x7k2p").withUid("decoy-uid").endMetadata().build();
    ConfigMap recorded = new ConfigMapBuilder().withNewMetadata().withName("orders-plan-x7k2p").withUid("snapshot-uid").endMetadata().build();
    sources.configMaps.add(decoy);
    sources.liveConfigMaps.add(recorded);

    assertThat(observer.observe(r, sources).snapshot()).contains(recorded);
  }

  @Test
  void thePlanJobAndItsPodAreObservedAndWhatIsReadOnlyOnDemandIsNotReadBefore() {
    MigrationRequest r = Requests.request("staging", "orders");
    r.setStatus(new MigrationRequestStatus());
    r.getStatus().plan = new PlanStatus();
    r.getStatus().plan.check = new DatabaseCheck();
    r.getStatus().plan.check.job = "orders-check-1";
    r.getStatus().plan.check.jobUid = "plan-uid";
    Job plan = job("orders-check-1", "plan-uid");
    sources.jobs.add(plan);
    sources.pods.add(pod("orders-check-1-x", plan, "2026-11-25T10:00:00Z", true));

    Observed observed = observer.observe(r, sources);

    assertThat(observed.planRun().job()).contains(plan);
    assertThat(observed.planRun().pod()).isPresent();
    assertThat(observed.planRun().slotWait().get()).as("a free slot").isEmpty();
    assertThat(sources.liveReads).isEmpty();
    assertThat(observed.source().get()).isEmpty();
    assertThat(sources.liveReads).containsExactly("configmap orders-migrations");
  }
}
