package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RollbackSpec {

  @Size(max = 16384)
  @JsonPropertyDescription("The steps or SQL that undo this migration, recorded with the plan.")
  public String plan;
}
