package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlannedScript {

  @JsonPropertyDescription("The script's file name: V<version>__<description>.sql or R__<description>.sql.")
  public String name;

  @JsonPropertyDescription("The script's version; absent for a repeatable (R__) script.")
  public String version;

  @JsonPropertyDescription("The description from the file name, underscores read as spaces.")
  public String description;

  @JsonPropertyDescription("Hex SHA-256 of the script's UTF-8 content.")
  public String sha256;

  public PlannedScript() {}

  public PlannedScript(String name, String version, String description, String sha256) {
    this.name = name;
    this.version = version;
    this.description = description;
    this.sha256 = sha256;
  }
}
