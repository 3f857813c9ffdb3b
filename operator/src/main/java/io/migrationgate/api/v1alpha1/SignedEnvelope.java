package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** A DSSE envelope, the shape in-toto attestations use: the signature covers the payload's type and bytes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SignedEnvelope {

  @JsonPropertyDescription("What the payload is: application/vnd.migrationgate.record.v1+json.")
  public String payloadType;

  @JsonPropertyDescription("The record's JSON, base64 encoded: the bytes that were signed.")
  public String payload;

  @JsonPropertyDescription("One signature per signing key; the operator signs with one.")
  public List<Signature> signatures = new ArrayList<>();

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Signature {

    @JsonPropertyDescription(
        "The SHA-256 of the public key (DER SubjectPublicKeyInfo) in hex: the key's entry <keyid>.pem in the "
            + "published keys ConfigMap.")
    public String keyid;

    @JsonPropertyDescription(
        "The Ed25519 signature, base64, over DSSEv1 SP len(payloadType) SP payloadType SP len(payload) SP payload.")
    public String sig;
  }
}
