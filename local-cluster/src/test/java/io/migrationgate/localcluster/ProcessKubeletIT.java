package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The process kubelet behaves like a kubelet where the operator and the Job controller can see it:
 * pod status, waiting reasons, termination messages, deadlines, deletion and logs through the API
 * server. Containers use the busybox mapping (host shell).
 */
@ExtendWith(SharedClusters.class)
class ProcessKubeletIT {

  static final String NS = "kubelet";
  static KubernetesClient client;
  static Kubectl admin;

  @BeforeAll
  static void namespace(GuardedCluster shared) {
    shared.cluster.createNamespace(NS, Map.of());
    client = shared.client;
    admin = shared.admin;
  }

  static void apply(String yaml) {
    GuardedCluster.require(admin.runWithInput(yaml, "apply", "-n", NS, "-f", "-"));
  }

  static Pod pod(String name) {
    return client.pods().inNamespace(NS).withName(name).get();
  }

  /** A pod's phase, not a request's. */
  static Pod awaitPodPhase(String name, String phase) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
        .untilAsserted(() -> assertThat(pod(name).getStatus().getPhase()).isEqualTo(phase));
    return pod(name);
  }

  static ContainerStateTerminated terminated(Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
  }

  @Test
  void missingSecretWaitsWithCreateContainerConfigErrorUntilItExists() {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: late-secret}
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox:1.36
            command: [sh, -c, 'echo "greeting=$GREETING"']
            env:
            - name: GREETING
              valueFrom: {secretKeyRef: {name: greeting, key: text}}
        """);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
      ContainerStateWaiting waiting = pod("late-secret").getStatus().getContainerStatuses().get(0).getState().getWaiting();
      assertThat(waiting).isNotNull();
      assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
      assertThat(waiting.getMessage()).isEqualTo("secret \"greeting\" not found");
    });
    assertThat(pod("late-secret").getStatus().getPhase()).isEqualTo("Pending");

    apply("""
        apiVersion: v1
        kind: Secret
        metadata: {name: greeting}
        stringData: {text: hello from a secret}
        """);
    Pod done = awaitPodPhase("late-secret", "Succeeded");
    assertThat(terminated(done).getReason()).isEqualTo("Completed");
    assertThat(admin.run("logs", "late-secret", "-n", NS).out()).isEqualTo("greeting=hello from a secret\n");
  }

  @Test
  void initContainersRunFirstAndVolumesAndTerminationMessageAreMapped() {
    apply("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {mode: fast}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: with-init}
        spec:
          restartPolicy: Never
          volumes:
          - {name: work, emptyDir: {}}
          - {name: settings, configMap: {name: settings}}
          initContainers:
          - name: prepare
            image: busybox
            command: [sh, -c, 'echo prepared > /work/state && cat /etc/settings/mode >> /work/state']
            volumeMounts:
            - {name: work, mountPath: /work}
            - {name: settings, mountPath: /etc/settings, readOnly: true}
          containers:
          - name: main
            image: busybox
            command: [sh, -c, 'cat /work/state; echo "all good: $(MODE)" > /dev/termination-log']
            env:
            - name: MODE
              valueFrom: {configMapKeyRef: {name: settings, key: mode}}
            volumeMounts:
            - {name: work, mountPath: /work}
        """);
    Pod done = awaitPodPhase("with-init", "Succeeded");
    assertThat(done.getStatus().getInitContainerStatuses().get(0).getState().getTerminated().getReason())
        .isEqualTo("Completed");
    assertThat(terminated(done).getMessage()).isEqualTo("all good: fast\n");
    assertThat(terminated(done).getStartedAt()).isNotBlank();
    assertThat(terminated(done).getFinishedAt()).isNotBlank();
    assertThat(admin.run("logs", "with-init", "-n", NS).out()).isEqualTo("prepared\nfast\n");
    assertThat(admin.run("logs", "with-init", "-n", NS, "-c", "prepare").out()).isEmpty();
  }

  @Test
  void failedContainerWithoutMessageReportsTheTailOfItsLog() {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: fails}
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox
            terminationMessagePolicy: FallbackToLogsOnError
            command: [sh, -c, 'i=1; while [ $i -le 100 ]; do echo "line $i"; i=$((i+1)); done; exit 3']
        """);
    Pod done = awaitPodPhase("fails", "Failed");
    ContainerStateTerminated terminated = terminated(done);
    assertThat(terminated.getExitCode()).isEqualTo(3);
    assertThat(terminated.getReason()).isEqualTo("Error");
    assertThat(terminated.getMessage()).startsWith("line 21\n").endsWith("line 100\n");
    assertThat(admin.run("logs", "fails", "-n", NS, "--tail=2").out()).isEqualTo("line 99\nline 100\n");
    assertThat(admin.run("logs", "fails", "-n", NS, "--timestamps", "--tail=1").out())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z line 100\\n");
  }

  @Test
  void activeDeadlineSecondsStopsThePod() {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: too-slow}
        spec:
          restartPolicy: Never
          activeDeadlineSeconds: 2
          terminationGracePeriodSeconds: 1
          containers:
          - {name: main, image: busybox, command: [sleep, "300"]}
        """);
    Pod done = awaitPodPhase("too-slow", "Failed");
    assertThat(done.getStatus().getReason()).isEqualTo("DeadlineExceeded");
    assertThat(terminated(done).getExitCode()).isNotZero();
  }

  @Test
  void deletingARunningPodKillsItsProcess() {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: long-running}
        spec:
          restartPolicy: Never
          containers:
          - {name: main, image: busybox, command: [sleep, "300"]}
        """);
    Pod running = awaitPodPhase("long-running", "Running");
    long pid = Long.parseLong(running.getStatus().getContainerStatuses().get(0).getContainerID()
        .substring("process://".length()));
    assertThat(ProcessHandle.of(pid)).isPresent();

    Kubectl.Result deleted = admin.run("delete", "pod", "long-running", "-n", NS, "--timeout=60s");
    assertThat(deleted.ok()).as(deleted.toString()).isTrue();
    assertThat(pod("long-running")).isNull();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
  }

  @Test
  void jobControllerSeesPodsSucceedAndFail() {
    apply("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: works}
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              containers:
              - {name: main, image: busybox, command: [sh, -c, 'echo done']}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: breaks}
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              containers:
              - {name: main, image: busybox, command: [sh, -c, 'echo broken >&2; exit 1']}
        """);
    Kubectl.Result complete = admin.run("wait", "--for=condition=Complete", "job/works", "-n", NS, "--timeout=60s");
    assertThat(complete.ok()).as(complete.toString()).isTrue();
    Kubectl.Result failed = admin.run("wait", "--for=condition=Failed", "job/breaks", "-n", NS, "--timeout=60s");
    assertThat(failed.ok()).as(failed.toString()).isTrue();
    Job breaks = client.batch().v1().jobs().inNamespace(NS).withName("breaks").get();
    assertThat(breaks.getStatus().getFailed()).isEqualTo(1);
    assertThat(admin.run("logs", "job/breaks", "-n", NS).out()).isEqualTo("broken\n");
  }

  @Test
  void unmappedImageLooksLikeAPullFailure() {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: unknown-image}
        spec:
          restartPolicy: Never
          containers:
          - {name: main, image: "example.invalid/nothing:1"}
        """);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
      ContainerStateWaiting waiting = pod("unknown-image").getStatus().getContainerStatuses().get(0).getState().getWaiting();
      assertThat(waiting).isNotNull();
      assertThat(waiting.getReason()).isEqualTo("ErrImagePull");
      assertThat(waiting.getMessage()).contains("example.invalid/nothing:1");
    });
  }

  @Test
  void followedLogsStreamUntilTheContainerEnds() {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: ticks}
        spec:
          restartPolicy: Never
          containers:
          - {name: main, image: busybox, command: [sh, -c, 'sleep 1; for i in 1 2 3; do echo "tick $i"; sleep 1; done']}
        """);
    awaitPodPhase("ticks", "Running");
    Kubectl.Result followed = admin.run("logs", "-f", "ticks", "-n", NS);
    assertThat(followed.ok()).as(followed.toString()).isTrue();
    assertThat(followed.out()).isEqualTo("tick 1\ntick 2\ntick 3\n");
  }
}
