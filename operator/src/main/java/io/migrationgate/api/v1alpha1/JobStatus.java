package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The one Job of this request. Its name is written before the Job is created, as the launch marker. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobStatus {

  public String name;
  public String uid;
  public String createdAt;
  public String startedAt;
  public String finishedAt;
  public String pod;
}
