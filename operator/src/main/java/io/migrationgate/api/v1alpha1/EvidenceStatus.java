package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class EvidenceStatus {

  @JsonPropertyDescription("Immutable ConfigMap with the runner's full report and the log tail.")
  public String configMap;

  @JsonPropertyDescription(
      "Why the evidence ConfigMap could not be written (quota, size, rights); the request still ends.")
  public String problem;
}
