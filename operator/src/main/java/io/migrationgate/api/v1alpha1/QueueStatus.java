package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where an approved request stands in its database's line, beyond what its phase says. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QueueStatus {

  @JsonPropertyDescription(
      "When the API server refused to create this request's Job (quota, admission, rights), if the last "
          + "decision was that refusal. While it is set the request does not hold its place in the database's "
          + "line: it may be refused for hours, and the database is free meanwhile.")
  public String jobRefusedAt;

  @JsonPropertyDescription("When the next maintenance window of the planned target opens (UTC), if the last decision "
      + "was to wait for it.")
  public String windowOpensAt;
}
