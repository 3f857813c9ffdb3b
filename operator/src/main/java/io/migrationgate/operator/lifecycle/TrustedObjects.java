package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.PlanStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which objects the operator may act on. Names, labels and ownerReferences can be written by anyone
 * who may create a ConfigMap, Job or Pod in the namespace, so none of them proves that the operator
 * made an object; a uid recorded in status when the operator created it does.
 */
public final class TrustedObjects {

  /** The label the Job controller puts on every pod it creates for a Job. */
  public static final String JOB_CONTROLLER_UID = "batch.kubernetes.io/controller-uid";

  private TrustedObjects() {}

  /** Why {@code snapshot} must not be mounted for {@code plan}, if it must not. */
  public static Optional<String> snapshotProblem(Optional<ConfigMap> snapshot, PlanStatus plan, MigrationRequest request) {
    if (plan.snapshot == null || plan.snapshotUid == null) {
      return Optional.of("status.plan names no snapshot the operator created");
    }
    if (snapshot.isEmpty()) {
      return Optional.of("snapshot ConfigMap " + plan.snapshot + " does not exist");
    }
    ConfigMap found = snapshot.get();
    if (!plan.snapshotUid.equals(found.getMetadata().getUid()) || !plan.snapshot.equals(found.getMetadata().getName())) {
      return Optional.of("ConfigMap " + plan.snapshot + " is not the snapshot the operator created (uid "
          + found.getMetadata().getUid() + ", recorded " + plan.snapshotUid + ")");
    }
    if (!Boolean.TRUE.equals(found.getImmutable()) || !belongsTo(found, request)) {
      return Optional.of("ConfigMap " + plan.snapshot + " is not an immutable snapshot owned by this request");
    }
    String digest = ConfigMapDigest.of(found);
    if (!digest.equals(ApprovalDigests.scripts(plan))) {
      return Optional.of("snapshot " + plan.snapshot + " has digest " + digest + ", the plan says " + ApprovalDigests.scripts(plan));
    }
    return Optional.empty();
  }

  /**
   * The evidence ConfigMap the operator created before a crash (or a refused status write) kept it
   * from recording it, among {@code candidates}: one this request controls, immutable, whose data
   * has {@code digest}, the digest of what the operator would write now. Evidence holds only what
   * the operator reads (the Job, its pod, the log of a container that has ended), so writing it
   * again gives the same data; a ConfigMap with exactly that data says what the operator would say,
   * whoever made it, and immutability keeps it so. No clock is consulted.
   */
  public static Optional<ConfigMap> ownEvidence(List<ConfigMap> candidates, MigrationRequest request, String digest) {
    return candidates.stream()
        .filter(found -> Boolean.TRUE.equals(found.getImmutable()) && belongsTo(found, request)
            && digest.equals(ConfigMapDigest.of(found)))
        .findFirst();
  }

  /**
   * Why a Job found at a launch marker's name, whose uid was never recorded, is not the one the
   * operator created before a crash. The operator writes the marker, with a random launch token,
   * before it creates the Job, and puts the token in the Job's pod template, which cannot change
   * after creation; so only a Job that carries the request's controller reference and runs exactly
   * what the operator would build for that marker, token included, is taken as its own. Nobody could
   * know the token before the marker was written, so a Job made in advance (before the approval, or
   * before the plan) never passes, and no clock of another machine is consulted.
   */
  public static Optional<String> jobConflict(Job found, Job expected, MigrationRequest request) {
    String name = found.getMetadata().getName();
    String conflict = "Job " + name + " exists but was not created by Migration Gate for this request";
    if (!belongsTo(found, request)) {
      return Optional.of(conflict + " (no controller reference to it)");
    }
    String token = launchToken(expected);
    if (token == null || !token.equals(launchToken(found))) {
      return Optional.of(conflict + " (it does not carry the launch token written before the operator created it)");
    }
    Optional<String> differs = runDifference(found.getSpec().getTemplate().getSpec(), expected.getSpec().getTemplate().getSpec());
    if (differs.isPresent()) {
      return Optional.of(conflict + " (its pod template differs from the one the operator builds in "
          + differs.get() + ")");
    }
    return Optional.empty();
  }

  private static String launchToken(Job job) {
    var annotations = job.getSpec().getTemplate().getMetadata() == null ? null
        : job.getSpec().getTemplate().getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(OwnedLabels.LAUNCH_TOKEN);
  }

  /** A pod of {@code job}: labelled by the Job controller for it and controlled by it. */
  public static boolean isPodOf(Pod pod, Job job) {
    String uid = job.getMetadata().getUid();
    return uid != null && pod.getMetadata().getLabels() != null
        && uid.equals(pod.getMetadata().getLabels().get(JOB_CONTROLLER_UID))
        && controlledBy(pod, uid);
  }

  /**
   * Whether {@code object} is the request's: beside the request, by its controller reference; in the
   * runs namespace (RunPlacement), by the labels naming the request, since only the operator can
   * create objects there and Kubernetes allows no owner reference across namespaces. The operator
   * looks at objects of another namespace than the request's only in the runs namespace.
   */
  static boolean belongsTo(HasMetadata object, MigrationRequest request) {
    String uid = request.getMetadata().getUid();
    if (controlledBy(object, uid)) {
      return true;
    }
    String namespace = object.getMetadata().getNamespace();
    Map<String, String> labels = object.getMetadata().getLabels();
    return uid != null && namespace != null && !namespace.equals(request.getMetadata().getNamespace()) && labels != null
        && uid.equals(labels.get(OwnedLabels.REQUEST_UID_KEY))
        && request.getMetadata().getNamespace().equals(labels.get(OwnedLabels.REQUEST_NAMESPACE_KEY));
  }

  static boolean controlledBy(HasMetadata object, String ownerUid) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    return ownerUid != null && refs != null && refs.stream()
        .anyMatch(ref -> Boolean.TRUE.equals(ref.getController()) && ownerUid.equals(ref.getUid()));
  }

  /**
   * The first part of the pod that decides what runs and differs between the two, if any. The API
   * server's defaults for the rest do not matter, and a field it leaves out when false (a volume
   * mount's readOnly) reads as false on both sides.
   */
  private static Optional<String> runDifference(PodSpec found, PodSpec expected) {
    Map<String, Object> a = whatRuns(found);
    Map<String, Object> b = whatRuns(expected);
    return a.keySet().stream().filter(part -> !Objects.equals(a.get(part), b.get(part))).findFirst()
        .or(() -> b.keySet().stream().filter(part -> !a.containsKey(part)).findFirst());
  }

  private static Map<String, Object> whatRuns(PodSpec pod) {
    Map<String, Object> parts = new LinkedHashMap<>();
    addContainers(parts, "containers", pod.getContainers());
    addContainers(parts, "initContainers", pod.getInitContainers());
    parts.put("volumes", orEmpty(pod.getVolumes()).stream()
        .map(v -> v.getName() + "=" + (v.getConfigMap() != null ? "configMap:" + v.getConfigMap().getName()
            : v.getEmptyDir() != null ? "emptyDir" : "other"))
        .toList());
    parts.put("serviceAccountName", pod.getServiceAccountName());
    parts.put("automountServiceAccountToken", pod.getAutomountServiceAccountToken());
    parts.put("securityContext", pod.getSecurityContext());
    return parts;
  }

  private static void addContainers(Map<String, Object> parts, String kind, List<Container> containers) {
    List<Container> all = orEmpty(containers);
    parts.put(kind, all.size());
    for (int i = 0; i < all.size(); i++) {
      Container c = all.get(i);
      String at = kind + "[" + i + "].";
      parts.put(at + "image", c.getImage());
      parts.put(at + "command", c.getCommand());
      parts.put(at + "args", c.getArgs());
      parts.put(at + "env", orEmpty(c.getEnv()));
      parts.put(at + "envFrom", orEmpty(c.getEnvFrom()));
      parts.put(at + "volumeMounts", orEmpty(c.getVolumeMounts()).stream()
          .map(m -> m.getName() + ":" + m.getMountPath() + ":" + (Boolean.TRUE.equals(m.getReadOnly()) ? "ro" : "rw")
              + ":" + Objects.toString(m.getSubPath(), "") + ":" + Objects.toString(m.getSubPathExpr(), ""))
          .toList());
      parts.put(at + "securityContext", c.getSecurityContext());
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
