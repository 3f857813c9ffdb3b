package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunnerSpec {

  @SchemaFrom(type = KubernetesTypes.ResourceRequirements.class)
  @JsonPropertyDescription("CPU and memory for the runner container.")
  public ResourceRequirements resources;

  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("ServiceAccount of the runner pod; its token is never mounted.")
  public String serviceAccountName;

  @Size(max = 32)
  @JsonPropertyDescription("Node selector of the runner pod.")
  public Map<String, String> nodeSelector;

  @Size(max = 32)
  @SchemaFrom(type = KubernetesTypes.Toleration[].class)
  @JsonPropertyDescription("Tolerations of the runner pod.")
  public List<Toleration> tolerations;
}
