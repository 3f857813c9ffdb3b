package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The demo's path ({@link Demo#start} and {@link Demo#runOnce}, what {@code demo.sh --once} runs):
 * the operator is the pod of the chart's Deployment, created by the real Deployment and ReplicaSet
 * controllers, started by the process kubelet from the built image and signed in with the pod's
 * own projected ServiceAccount token; it takes the Lease and runs the example request from plan to
 * Succeeded under the chart's RBAC and every policy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InClusterOperatorIT {

  static Path workDir;
  static Demo demo;
  static KubernetesClient admin;
  static long begun;

  @BeforeAll
  static void runTheDemo() throws Exception {
    workDir = Files.createTempDirectory("mg-in-cluster-");
    demo = new Demo(ChartRelease.repo(), ChartRelease.jar(), workDir);
    begun = System.nanoTime();
    demo.start();
    admin = demo.cluster().controlPlane().admin();
    System.out.printf("in-cluster operator: pod %s Ready %d s and Lease held %d s after its creation; demo ready in %.1f s%n",
        demo.operator().name(), demo.operator().toReady().toSeconds(), demo.operator().toLease().toSeconds(),
        (System.nanoTime() - begun) / 1e9);
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      E2eLogs.keep(workDir, "in-cluster-operator");
    } finally {
      if (demo != null) {
        demo.close();
      }
    }
  }

  @Test
  @Order(1)
  void theOperatorIsThePodOfTheChartsDeploymentStartedFromTheImage() throws IOException {
    Pod pod = admin.pods().inNamespace(ChartRelease.NAMESPACE).withName(demo.operator().name()).get();
    OwnerReference owner = pod.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getKind()).isEqualTo("ReplicaSet");
    ReplicaSet replicaSet = admin.apps().replicaSets().inNamespace(ChartRelease.NAMESPACE).withName(owner.getName()).get();
    assertThat(replicaSet.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Deployment/" + ChartRelease.SERVICE_ACCOUNT));
    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
    assertThat(pod.getStatus().getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Ready");
      assertThat(c.getStatus()).isEqualTo("True");
    });
    assertThat(InClusterOperator.leaseHolder(admin)).contains(pod.getMetadata().getName());

    // the process the kubelet started: the image's Java runtime, its JVM flags and jar, the chart's args
    ProcessHandle process = demo.operator().process();
    Path image = demo.cluster().image().rootfs().toRealPath();
    assertThat(Path.of(process.info().command().orElseThrow()).toRealPath())
        .isEqualTo(image.resolve("opt/java/bin/java"));
    List<String> args = List.of(process.info().arguments().orElseThrow());
    assertThat(args).contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError")
        .containsSubsequence("-jar", demo.cluster().image().host("/app/migration-gate.jar"), "operator");
    assertThat(args).anySatisfy(a -> assertThat(a).startsWith("-Djava.io.tmpdir=" + workDir.resolve("kubelet/pods"))
        .endsWith("/volumes/tmp"));

    // signed in with the pod's projected token: the ServiceAccount admission's volume, the kubelet's TokenRequest
    Volume access = pod.getSpec().getVolumes().stream().filter(v -> v.getName().startsWith("kube-api-access-"))
        .findFirst().orElseThrow();
    assertThat(access.getProjected().getSources()).anySatisfy(s -> assertThat(s.getServiceAccountToken()).isNotNull());
    Map<String, String> env = environment(process);
    URI apiServer = URI.create(admin.getConfiguration().getMasterUrl());
    assertThat(env).containsEntry("KUBERNETES_SERVICE_HOST", apiServer.getHost())
        .containsEntry("KUBERNETES_SERVICE_PORT", String.valueOf(apiServer.getPort()))
        .doesNotContainKey("KUBECONFIG");
    Path token = Path.of(env.get("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN"));
    Path ca = Path.of(env.get("KUBERNETES_CERTS_CA_FILE"));
    assertThat(token.getParent()).isEqualTo(ca.getParent()).endsWith(Path.of("volumes", access.getName()));
    assertThat(Files.readString(Path.of(env.get("KUBENAMESPACE")))).isEqualTo(ChartRelease.NAMESPACE);
    Path kubeconfig = workDir.resolve("operator-pod.kubeconfig");
    Files.writeString(kubeconfig, StaticTokenUsers.kubeconfig(apiServer.toString().replaceAll("/$", ""),
        Base64.getEncoder().encodeToString(Files.readAllBytes(ca)), "operator-pod", Files.readString(token)));
    Kubectl.Result whoami = new Kubectl(demo.cluster().controlPlane().binaries().kubectl(), kubeconfig)
        .run("auth", "whoami", "-o", "json");
    assertThat(whoami.ok()).as(whoami.toString()).isTrue();
    JsonNode user = Serialization.jsonMapper().readTree(whoami.out()).path("status").path("userInfo");
    assertThat(user.path("username").asText()).isEqualTo(ChartRelease.SA_USER);
    assertThat(user.path("extra").path("authentication.kubernetes.io/pod-name").path(0).asText())
        .as("a token bound to the operator's pod").isEqualTo(pod.getMetadata().getName());
  }

  @Test
  @Order(2)
  void theExampleRequestRunsFromPlanToSucceededUnderThePodsOperator() {
    demo.runOnce();
    Kubectl requester = demo.cluster().kubectl(LocalUser.REQUESTER);
    // the chart's status policy admits status writes from the chart's ServiceAccount only, so the
    // operator wrote this phase as that ServiceAccount
    assertThat(requester.run("get", "mr", "orders-add-status", "-n", "shop-staging", "-o", "jsonpath={.status.phase}")
        .out()).isEqualTo("Succeeded");
    System.out.printf("in-cluster operator: the example request Succeeded %.1f s after the demo began%n",
        (System.nanoTime() - begun) / 1e9);
    String approvedBy = requester.run("get", "mr", "orders-add-status", "-n", "shop-staging", "-o",
        "jsonpath={.status.approval.approvedBy}").out();
    assertThat(approvedBy).as("approved through the plugin, in the approver's name").isEqualTo(LocalUser.APPROVER.userName());
    assertThat(requester.run("get", "mr", "orders-add-status", "-n", "shop-staging", "--show-managed-fields", "-o",
        "jsonpath={.metadata.managedFields[*].manager}").out()).contains("migration-gate-approver");
    // the plan and run Jobs' pods say automountServiceAccountToken: false, so the admission gave them no token
    List<Pod> jobPods = admin.pods().inNamespace(ChartRelease.NAMESPACE).withLabel("job-name").list().getItems();
    assertThat(jobPods).hasSizeGreaterThanOrEqualTo(2).allSatisfy(p ->
        assertThat(p.getSpec().getVolumes()).noneSatisfy(v -> assertThat(v.getProjected()).isNotNull()));
    Kubectl.Result log = demo.cluster().kubectl(LocalUser.ADMIN)
        .run("logs", "-n", ChartRelease.NAMESPACE, "deploy/" + ChartRelease.SERVICE_ACCOUNT); // as the demo prints it
    assertThat(log.ok()).as(log.toString()).isTrue();
    assertThat(log.out()).contains("orders-add-status").doesNotContainIgnoringCase("forbidden");
  }

  private static Map<String, String> environment(ProcessHandle process) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    String all = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "environ"), StandardCharsets.UTF_8);
    Arrays.stream(all.split("\0")).filter(e -> e.contains("="))
        .forEach(e -> env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1)));
    return env;
  }
}
