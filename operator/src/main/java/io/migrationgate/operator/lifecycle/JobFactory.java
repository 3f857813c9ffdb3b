package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.migrationgate.api.v1alpha1.DatabaseSpec;
import io.migrationgate.api.v1alpha1.FlywaySpec;
import io.migrationgate.api.v1alpha1.ImageSource;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestSpec;
import io.migrationgate.api.v1alpha1.RunnerSpec;
import io.migrationgate.contract.CredentialsSource;
import io.migrationgate.contract.Durations;
import io.migrationgate.contract.RunnerCommand;
import io.migrationgate.contract.RunnerJvm;
import io.migrationgate.contract.Versions;
import io.migrationgate.contract.VerifyQuery;
import java.nio.file.Path;
import io.migrationgate.api.v1alpha1.PlanStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the one Job of an approved request. The Job runs the runner from the operator's own image,
 * mounts the plan snapshot (never the source), gets credentials from the Secret by reference (the
 * operator never reads Secrets), and passes Pod Security "restricted". An image source's scripts
 * are copied out of the image by an init container of the run Job only: its plan Job runs nothing
 * but the runner.
 */
public final class JobFactory {

  public static final String RUNNER_CONTAINER = "runner";
  private static final String RUNNER_COMPONENT = "runner";
  private static final String PLAN_COMPONENT = "check";
  public static final String RUN = "run";
  public static final String PLAN = "plan";
  /** Reading the history takes seconds; a plan Job that hangs must not hold a request for the whole timeout. */
  static final java.time.Duration PLAN_DEADLINE = java.time.Duration.ofMinutes(5);
  /**
   * Held on every Job until its uid and outcome are in the request's status, so a Job deleted by
   * hand (or by a TTL) stays visible until then: the operator never mistakes it for one it never
   * created, and never creates a second.
   */
  public static final String OUTCOME_FINALIZER = "migrationgate.io/job-outcome";
  public static final String SCRIPTS_DIR = "/workspace/scripts";
  static final long RUNNER_UID = 65532;

  private final String runnerImage;
  private final java.time.Duration defaultTimeout;
  private final RunPlacement placement;

  public JobFactory(String runnerImage, java.time.Duration defaultTimeout, RunPlacement placement) {
    this.runnerImage = runnerImage;
    this.defaultTimeout = defaultTimeout;
    this.placement = placement;
  }

  /** Where this factory's Jobs, and so their snapshots and evidence, go. */
  public RunPlacement placement() {
    return placement;
  }

  /** Whether {@code job} is labelled as one of the operator's plan Jobs. */
  public static boolean isPlanJob(Job job) {
    Map<String, String> labels = job.getMetadata().getLabels();
    return labels != null && PLAN_COMPONENT.equals(labels.get(OwnedLabels.COMPONENT_KEY));
  }

  /** The migration Job of the launch marker in status.job: the runner's {@code run} program, at the request's one Job name. */
  public Job build(MigrationRequest request) {
    PlanStatus plan = request.getStatus().plan;
    return job(request, plan, ResourceNames.job(request), request.getStatus().job.launchToken, RUNNER_COMPONENT, RUN,
        runnerCommand(request, plan, RUN).toArgs(), timeout(request.getSpec()));
  }

  /**
   * The read-only plan Job of the plan's launch marker (status.plan.check): the same pod as the
   * migration Job (so it reaches the database the same way, with the same credentials and
   * restrictions), running the runner's {@code plan} program, for at most {@link #PLAN_DEADLINE} or
   * the request's timeout.
   */
  public Job buildPlan(MigrationRequest request, PlanStatus plan) {
    java.time.Duration deadline = timeout(request.getSpec());
    return job(request, plan, plan.check.job, plan.check.launchToken, PLAN_COMPONENT, PLAN,
        runnerCommand(request, plan, PLAN).toArgs(), deadline.compareTo(PLAN_DEADLINE) < 0 ? deadline : PLAN_DEADLINE);
  }

  private Job job(MigrationRequest request, PlanStatus plan, String name, String launchToken, String component,
      String program, List<String> args, java.time.Duration deadline) {
    MigrationRequestSpec spec = request.getSpec();
    RunnerSpec runner = spec.runner == null ? new RunnerSpec() : spec.runner;
    ImageSource image = spec.migrations.image;
    // No requester code before approval: an image source's plan Job neither runs nor mounts the image.
    boolean opensImage = image != null && RUN.equals(program);
    List<Volume> volumes = new ArrayList<>();
    if (image == null) {
      volumes.add(new VolumeBuilder().withName("scripts").withNewConfigMap()
          .withName(plan.snapshot).withDefaultMode(0444).endConfigMap().build());
    } else if (opensImage) {
      volumes.add(new VolumeBuilder().withName("scripts").withNewEmptyDir().withSizeLimit(new Quantity("64Mi"))
          .endEmptyDir().build());
    }
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir()
        .withSizeLimit(new Quantity("256Mi")).endEmptyDir().build());

    List<Container> initContainers = opensImage ? List.of(copyScripts(image)) : List.of();

    return new JobBuilder()
        .withMetadata(OwnedLabels.metadata(request, component, placement)
            .withName(name)
            .withFinalizers(OUTCOME_FINALIZER)
            .build())
        .withNewSpec()
          .withBackoffLimit(0)
          .withActiveDeadlineSeconds(deadline.toSeconds())
          .withNewTemplate()
            .withMetadata(OwnedLabels.podTemplateMetadata(request, component, launchToken))
            .withNewSpec()
              .withRestartPolicy("Never")
              .withAutomountServiceAccountToken(false)
              .withEnableServiceLinks(false)
              // A target's Jobs run as the runs namespace's default identity (the schema refuses another).
              .withServiceAccountName(blankToNull(runner.serviceAccountName))
              .withNodeSelector(runner.nodeSelector)
              .withTolerations(runner.tolerations)
              .withSecurityContext(new PodSecurityContextBuilder()
                  .withRunAsNonRoot(true)
                  .withRunAsUser(RUNNER_UID)
                  .withRunAsGroup(RUNNER_UID)
                  .withSeccompProfile(new SeccompProfileBuilder().withType("RuntimeDefault").build())
                  .build())
              .withVolumes(volumes)
              .withInitContainers(initContainers)
              .withContainers(runnerContainer(request, plan, program, args, image == null || opensImage))
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * A MigrationTarget's connection check ({@link TargetChecks}): the runner's {@code check}
   * program in the runs namespace, with the target's Secret by reference and the restrictions of
   * every runner Job; it mounts nothing but /tmp and only connects, read-only.
   */
  public Job buildCheck(io.migrationgate.api.v1alpha1.MigrationTarget target) {
    DatabaseSpec database = target.getSpec().database;
    RunnerCommand command = new RunnerCommand(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        database.url, Optional.of(credentialsSource(database)), Versions.LATEST, List.of(), RunnerCommand.DEFAULT_TABLE,
        false, false, Optional.empty(), Map.of(), List.of(), RunnerCommand.DEFAULT_CONNECT_TIMEOUT,
        RunnerCommand.DEFAULT_VERIFY_TIMEOUT, Optional.of(RunnerCommand.DEFAULT_REPORT_FILE));
    Map<String, String> labels = TargetChecks.labels(target);
    return new JobBuilder()
        .withNewMetadata().withName(TargetChecks.jobName(target)).withNamespace(placement.runsNamespace())
          .withLabels(labels).withAnnotations(TargetChecks.annotations(target)).endMetadata()
        .withNewSpec()
          .withBackoffLimit(0)
          .withActiveDeadlineSeconds(TargetChecks.DEADLINE.toSeconds())
          .withNewTemplate()
            .withNewMetadata().withLabels(labels).withAnnotations(TargetChecks.annotations(target)).endMetadata()
            .withNewSpec()
              .withRestartPolicy("Never")
              .withAutomountServiceAccountToken(false)
              .withEnableServiceLinks(false)
              .withSecurityContext(new PodSecurityContextBuilder()
                  .withRunAsNonRoot(true).withRunAsUser(RUNNER_UID).withRunAsGroup(RUNNER_UID)
                  .withSeccompProfile(new SeccompProfileBuilder().withType("RuntimeDefault").build())
                  .build())
              .withVolumes(new VolumeBuilder().withName("tmp").withNewEmptyDir()
                  .withSizeLimit(new Quantity("64Mi")).endEmptyDir().build())
              .addNewContainer()
                .withName(RUNNER_CONTAINER).withImage(runnerImage).withImagePullPolicy("IfNotPresent")
                .withCommand(RunnerJvm.command(TargetChecks.PROGRAM)).withArgs(command.toArgs())
                .withEnv(credentials(database)).withResources(resources(null)).withSecurityContext(restricted())
                .withVolumeMounts(mount("tmp", "/tmp", false)).withTerminationMessagePolicy("FallbackToLogsOnError")
              .endContainer()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  java.time.Duration timeout(MigrationRequestSpec spec) {
    return spec.timeout == null ? defaultTimeout : Durations.parse(spec.timeout);
  }

  private Container runnerContainer(MigrationRequest request, PlanStatus plan, String program, List<String> args,
      boolean mountsScripts) {
    MigrationRequestSpec spec = request.getSpec();
    List<VolumeMount> mounts = new ArrayList<>();
    if (mountsScripts) {
      mounts.add(mount("scripts", SCRIPTS_DIR, true));
    }
    mounts.add(mount("tmp", "/tmp", false));
    return new ContainerBuilder()
        .withName(RUNNER_CONTAINER)
        .withImage(runnerImage)
        .withImagePullPolicy("IfNotPresent")
        .withCommand(RunnerJvm.command(program))
        .withArgs(args)
        .withEnv(credentials(TargetAdmission.databaseOf(request, plan)))
        .withResources(resources(spec.runner))
        .withSecurityContext(restricted())
        .withVolumeMounts(mounts)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .build();
  }

  /**
   * What the runner is told. Both programs check the scripts against the plan's scripts digest; the
   * run also checks that the database is still in the planned state, when the database was planned.
   */
  static RunnerCommand runnerCommand(MigrationRequest request, PlanStatus plan, String program) {
    MigrationRequestSpec spec = request.getSpec();
    FlywaySpec flyway = spec.flyway == null ? new FlywaySpec() : spec.flyway;
    List<VerifyQuery> verify = spec.verify == null ? List.of()
        : spec.verify.stream().map(query -> new VerifyQuery(query.name, query.sql, query.expect)).toList();
    DatabaseSpec database = TargetAdmission.databaseOf(request, plan);
    // The plan of an image source names the image and reads the database only: the image is opened after approval.
    boolean imagePlan = spec.migrations.image != null && !RUN.equals(program);
    return new RunnerCommand(
        imagePlan ? Optional.empty() : Optional.of(Path.of(SCRIPTS_DIR)),
        imagePlan ? Optional.of(spec.migrations.image.ref) : Optional.empty(),
        // An image is pinned by digest, so only a snapshot's content needs checking by the runner.
        spec.migrations.configMap == null ? Optional.empty() : Optional.of(ApprovalDigests.scripts(plan)),
        RUN.equals(program) ? ApprovalDigests.plannedState(plan) : Optional.empty(),
        database.url,
        Optional.of(credentialsSource(database)),
        spec.target == null ? Versions.LATEST : spec.target,
        flyway.schemas == null ? List.of() : flyway.schemas,
        flyway.table == null ? RunnerCommand.DEFAULT_TABLE : flyway.table,
        Boolean.TRUE.equals(flyway.outOfOrder),
        Boolean.TRUE.equals(flyway.baselineOnMigrate),
        Optional.ofNullable(flyway.baselineVersion),
        flyway.placeholders == null ? Map.of() : flyway.placeholders,
        verify,
        RunnerCommand.DEFAULT_CONNECT_TIMEOUT,
        RunnerCommand.DEFAULT_VERIFY_TIMEOUT,
        Optional.of(RunnerCommand.DEFAULT_REPORT_FILE));
  }

  private static List<EnvVar> credentials(DatabaseSpec database) {
    CredentialsSource source = credentialsSource(database);
    return List.of(
        secretEnv(RunnerCommand.USERNAME_ENV, source.secret(), source.usernameKey()),
        secretEnv(RunnerCommand.PASSWORD_ENV, source.secret(), source.passwordKey()));
  }

  /** The Secret and keys the runner's credentials come from; the runner names them when a login is refused. */
  private static CredentialsSource credentialsSource(DatabaseSpec database) {
    return new CredentialsSource(database.credentialsSecret,
        database.usernameKey == null ? DatabaseSpec.DEFAULT_USERNAME_KEY : database.usernameKey,
        database.passwordKey == null ? DatabaseSpec.DEFAULT_PASSWORD_KEY : database.passwordKey);
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
        .withName(secret).withKey(key).withOptional(false).endSecretKeyRef().endValueFrom().build();
  }

  private static Container copyScripts(ImageSource image) {
    String path = image.path == null ? ImageSource.DEFAULT_PATH : image.path;
    return new ContainerBuilder()
        .withName("copy-scripts")
        .withImage(image.ref)
        .withImagePullPolicy("IfNotPresent")
        .withCommand("cp", "-R", path + "/.", SCRIPTS_DIR + "/")
        .withResources(new ResourceRequirementsBuilder()
            .withRequests(Map.of("cpu", new Quantity("10m"), "memory", new Quantity("16Mi")))
            .withLimits(Map.of("memory", new Quantity("64Mi")))
            .build())
        .withSecurityContext(restricted())
        .withVolumeMounts(mount("scripts", SCRIPTS_DIR, false))
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .build();
  }

  private static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(readOnly).build();
  }

  private static ResourceRequirements resources(RunnerSpec runner) {
    if (runner != null && runner.resources != null) {
      return runner.resources;
    }
    return new ResourceRequirementsBuilder()
        .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("256Mi")))
        .withLimits(Map.of("memory", new Quantity("512Mi")))
        .build();
  }

  private static SecurityContext restricted() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withCapabilities(new CapabilitiesBuilder().withDrop("ALL").build())
        .withSeccompProfile(new SeccompProfileBuilder().withType("RuntimeDefault").build())
        .build();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
