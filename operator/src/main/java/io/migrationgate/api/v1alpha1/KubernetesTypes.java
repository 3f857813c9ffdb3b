package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/**
 * The schemas of the Kubernetes types the API embeds, field for field as fabric8's classes generate
 * them, with descriptions: fabric8's model classes carry none, and `kubectl explain` shows the CRD's
 * descriptions only. Used through {@code @SchemaFrom}; the Java fields keep fabric8's types.
 */
final class KubernetesTypes {

  private KubernetesTypes() {}

  /** metav1.Condition. */
  static final class Condition {
    @JsonPropertyDescription("The condition's name: Planned, Approved, Blocked, Running, Succeeded, Failed, Ready, "
        + "Reconciling, Stalled or ReconcileError.")
    public String type;

    @JsonPropertyDescription("True, False or Unknown.")
    public String status;

    @JsonPropertyDescription("Why, in one CamelCase word (docs/evidence.md lists every reason).")
    public String reason;

    @JsonPropertyDescription("What a person should know, and usually what to do.")
    public String message;

    @JsonPropertyDescription("When status last changed (RFC 3339); a change of reason or message leaves it.")
    public String lastTransitionTime;

    @JsonPropertyDescription("The metadata.generation the condition was set from.")
    public Long observedGeneration;
  }

  /** core/v1 ResourceRequirements. */
  static final class ResourceRequirements {
    @JsonPropertyDescription("Dynamic resource claims of the pod the container uses; rarely needed.")
    public List<ResourceClaim> claims;

    @JsonPropertyDescription("The most the container may use, e.g. memory: 512Mi.")
    public Map<String, Quantity> limits;

    @JsonPropertyDescription("What the scheduler reserves for the container, e.g. cpu: 250m.")
    public Map<String, Quantity> requests;
  }

  /** core/v1 ResourceClaim. */
  static final class ResourceClaim {
    @JsonPropertyDescription("Name of an entry in the pod's spec.resourceClaims.")
    public String name;

    @JsonPropertyDescription("Name of one request in that claim; empty for the whole claim.")
    public String request;
  }

  /** core/v1 Toleration. */
  static final class Toleration {
    @JsonPropertyDescription("The taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; empty for all.")
    public String effect;

    @JsonPropertyDescription("The taint key to match; empty with operator Exists for every taint.")
    public String key;

    @JsonPropertyDescription("Exists or Equal (the default).")
    public String operator;

    @JsonPropertyDescription("For NoExecute: how many seconds the pod stays bound after the taint appears.")
    public Long tolerationSeconds;

    @JsonPropertyDescription("The taint value to match, with operator Equal.")
    public String value;
  }

  /** meta/v1 LabelSelector. */
  static final class LabelSelector {
    @JsonPropertyDescription("Label requirements, all of which must hold.")
    public List<LabelSelectorRequirement> matchExpressions;

    @JsonPropertyDescription("Labels and values a namespace must carry, all of them.")
    public Map<String, String> matchLabels;
  }

  /** meta/v1 LabelSelectorRequirement. */
  static final class LabelSelectorRequirement {
    @JsonPropertyDescription("The label's key.")
    public String key;

    @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
    public String operator;

    @JsonPropertyDescription("The values for In and NotIn; empty for Exists and DoesNotExist.")
    public List<String> values;
  }
}
