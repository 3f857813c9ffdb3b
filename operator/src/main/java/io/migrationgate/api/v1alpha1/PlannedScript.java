package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlannedScript {

  public String name;
  public String version;
  public String description;
  public String sha256;

  public PlannedScript() {}

  public PlannedScript(String name, String version, String description, String sha256) {
    this.name = name;
    this.version = version;
    this.description = description;
    this.sha256 = sha256;
  }
}
