package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.configMap) != has(self.image)",
    message = "migrations needs exactly one source: set either configMap or image, not both")
public class MigrationSource {

  @JsonPropertyDescription("A ConfigMap in the request's namespace whose keys are Flyway file names.")
  public ConfigMapSource configMap;

  @JsonPropertyDescription("A digest-pinned image whose path holds the Flyway scripts.")
  public ImageSource image;
}
