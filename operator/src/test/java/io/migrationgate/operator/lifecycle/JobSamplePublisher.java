package io.migrationgate.operator.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.migrationgate.api.v1alpha1.ApprovalStatus;
import io.migrationgate.api.v1alpha1.DatabaseCheck;
import io.migrationgate.api.v1alpha1.ImageSource;
import io.migrationgate.api.v1alpha1.JobStatus;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.PlanStatus;
import io.migrationgate.contract.PlannedState;
import io.migrationgate.operator.Requests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes Jobs exactly as {@link JobFactory} builds them for one fixed request into the
 * local-cluster tests, where OperatorJobForgeryIT changes one thing of each to show that the chart's
 * runner-Job policy refuses it. A hand-written copy drifts from the operator; these are checked
 * against JobFactory by {@code CommittedJobSamplesTest}. Run by {@code ./mvnw -B -pl operator
 * -Pupdate-job-samples process-test-classes}.
 */
public final class JobSamplePublisher {

  static final String REGENERATE = "./mvnw -B -pl operator -Pupdate-job-samples process-test-classes";
  /** The image the samples run; the test installs the chart's policy with the image of the sample it reads. */
  static final String RUNNER_IMAGE = "registry.example/migration-gate@sha256:" + "0123456789abcdef".repeat(4);
  private static final String MIGRATIONS_IMAGE = "registry.example/orders-migrations@sha256:" + "fedcba9876543210".repeat(4);
  private static final String SCRIPTS_DIGEST = "sha256:" + "5c".repeat(32);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);
  /** Map-typed fields (labels, resources) come out in one order, or the comparison would fail at random. */
  private static final ObjectMapper YAML = Serialization.yamlMapper().copy()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private JobSamplePublisher() {}

  /** Where the samples go, relative to the operator module. */
  static Path directory(Path module) {
    return module.resolve("../local-cluster/src/test/resources/jobfactory");
  }

  /** File name to content: the run Job and the plan Job of a ConfigMap source and of an image source. */
  static Map<String, String> samples() {
    JobFactory factory = new JobFactory(RUNNER_IMAGE, DEFAULT_TIMEOUT, new RunPlacement("migration-gate"));
    Map<String, String> samples = new LinkedHashMap<>();
    samples.put("run-configmap-source.yaml", yaml(factory.build(launched(request(false)))));
    samples.put("run-image-source.yaml", yaml(factory.build(launched(request(true)))));
    MigrationRequest planning = planning(request(false));
    samples.put("plan-configmap-source.yaml", yaml(factory.buildPlan(planning, planning.getStatus().plan)));
    MigrationRequest planningImage = planning(request(true));
    samples.put("plan-image-source.yaml", yaml(factory.buildPlan(planningImage, planningImage.getStatus().plan)));
    return samples;
  }

  /** A request as a requester writes it ({@link Requests}), with the uid the API server gave it. */
  private static MigrationRequest request(boolean imageSource) {
    MigrationRequest request = Requests.request("shop", "orders-add-status");
    request.getMetadata().setUid("6a1c2f00-0000-4000-8000-000000000001");
    if (imageSource) {
      request.getSpec().migrations.configMap = null;
      request.getSpec().migrations.image = new ImageSource();
      request.getSpec().migrations.image.ref = MIGRATIONS_IMAGE;
    }
    return request;
  }

  /** Its scripts snapshotted and its plan Job's launch marker written. */
  private static MigrationRequest planning(MigrationRequest request) {
    request.setStatus(new MigrationRequestStatus());
    PlanStatus plan = new PlanStatus();
    if (request.getSpec().migrations.configMap != null) {
      plan.scriptsDigest = SCRIPTS_DIGEST;
      plan.snapshot = ResourceNames.snapshotPrefix(request) + "x7k2p";
    } else {
      plan.scriptsDigest = ApprovalDigests.ofImage(request.getSpec().migrations.image.ref);
    }
    plan.check = new DatabaseCheck();
    plan.check.mode = DatabaseCheck.DATABASE;
    plan.check.job = ResourceNames.planJob(request, 1, 1);
    plan.check.launchToken = "plan-token";
    request.getStatus().plan = plan;
    return request;
  }

  /** Planned at version 1, approved, and the run's launch marker written. */
  private static MigrationRequest launched(MigrationRequest request) {
    PlanStatus plan = planning(request).getStatus().plan;
    plan.check.state = PlannedState.of("1", List.of()).toString();
    plan.check.currentVersion = "1";
    plan.digest = ApprovalDigests.approval(plan.scriptsDigest, ApprovalDigests.plannedState(plan), ApprovalDigests.review(plan));
    MigrationRequestStatus status = request.getStatus();
    status.approval = new ApprovalStatus();
    status.approval.approvedBy = "adam-approver";
    status.approval.digest = plan.digest;
    status.job = new JobStatus();
    status.job.name = ResourceNames.job(request);
    status.job.launchToken = "run-token";
    return request;
  }

  private static String yaml(Job job) {
    try {
      return "# Generated from JobFactory by " + REGENERATE + "; do not edit.\n" + YAML.writeValueAsString(job);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Argument: the operator module's directory. */
  public static void main(String[] args) throws IOException {
    Path directory = directory(Path.of(args[0]));
    Files.createDirectories(directory);
    for (Map.Entry<String, String> sample : samples().entrySet()) {
      Path file = directory.resolve(sample.getKey());
      Files.writeString(file, sample.getValue());
      System.out.println("wrote " + file.normalize());
    }
  }
}
