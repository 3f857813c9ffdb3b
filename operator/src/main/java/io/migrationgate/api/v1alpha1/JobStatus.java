package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The one Job of this request. Its name is written before the Job is created, as the launch marker. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobStatus {

  public String name;

  @JsonPropertyDescription(
      "A random token written with the launch marker, before the Job exists, and carried in the Job's pod "
          + "template (annotation migrationgate.io/launch-token): a Job found at the name without it was not "
          + "created by this launch, since nobody could know the token before the marker was written.")
  public String launchToken;

  public String uid;
  public String createdAt;
  public String startedAt;
  public String finishedAt;
  public String pod;

  @JsonPropertyDescription(
      "Why the Job's pod has not started while it waits: CredentialsSecretNotFound or ImagePullFailed. "
          + "Absent once the pod runs or ends.")
  public String podWaiting;
}
