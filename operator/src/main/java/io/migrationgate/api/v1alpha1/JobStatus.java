package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The one Job of this request. Its name is written before the Job is created, as the launch marker. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobStatus {

  @JsonPropertyDescription(
      "The Job's name, <request name, at most 40 characters>-<6 hex of the request uid>-run. Written before "
          + "the Job is created: this is the launch marker.")
  public String name;

  @JsonPropertyDescription(
      "A random token written with the launch marker, before the Job exists, and carried in the Job's pod "
          + "template (annotation migrationgate.io/launch-token): a Job found at the name without it was not "
          + "created by this launch, since nobody could know the token before the marker was written.")
  public String launchToken;

  @JsonPropertyDescription(
      "When the operator wrote the launch marker, by its own clock. A run whose pod has started no container "
          + "by the operator's start timeout after it gives its database's turn back (RunNotStarted).")
  public String launchedAt;

  @JsonPropertyDescription("The Job's uid, recorded the first time the operator sees the Job; only that Job counts.")
  public String uid;

  @JsonPropertyDescription("The Job's creation timestamp.")
  public String createdAt;

  @JsonPropertyDescription("The Job's status.startTime.")
  public String startedAt;

  @JsonPropertyDescription("When the Job completed or failed, or when the operator saw it end.")
  public String finishedAt;

  @JsonPropertyDescription(
      "The runner pod: the newest pod labelled with the Job's uid (batch.kubernetes.io/controller-uid) and "
          + "controlled by the Job.")
  public String pod;

  @JsonPropertyDescription(
      "Why the Job's pod has not started while it waits: CredentialsSecretNotFound or ImagePullFailed. "
          + "Absent once the pod runs or ends.")
  public String podWaiting;
}
