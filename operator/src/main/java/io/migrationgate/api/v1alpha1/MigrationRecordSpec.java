package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self == oldSelf",
    message = "a MigrationRecord never changes: it is the operator's signed account of a finished request",
    reason = "FieldValueForbidden")
public class MigrationRecordSpec {

  @Required
  @JsonPropertyDescription("The record, readable as fields; the envelope's payload is the same content, signed.")
  public RecordContent record;

  @Required
  @JsonPropertyDescription(
      "A DSSE envelope (payloadType, payload, signatures) over the record's JSON: an Ed25519 signature of the "
          + "DSSE pre-authentication encoding, by the key named in keyid (docs/evidence.md).")
  public SignedEnvelope envelope;
}
