package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class EvidenceStatus {

  @JsonPropertyDescription("Immutable ConfigMap with the runner's full report and the log tail.")
  public String configMap;

  @JsonPropertyDescription(
      "uid of that ConfigMap, recorded when the operator created it: a ConfigMap deleted and created again under "
          + "the same name has another uid, so a replacement shows.")
  public String configMapUid;

  @JsonPropertyDescription(
      "sha256:<64 hex> over that ConfigMap's data as the operator wrote it: for each key in byte order, the "
          + "UTF-8 key, a NUL, the value's length in UTF-8 bytes as decimal text, a NUL and the value (the same "
          + "framing as status.plan.scriptsDigest; docs/evidence.md shows the kubectl command that recomputes it).")
  public String digest;

  @JsonPropertyDescription(
      "Why the evidence ConfigMap could not be written (quota, size, rights); the request still ends.")
  public String problem;
}
