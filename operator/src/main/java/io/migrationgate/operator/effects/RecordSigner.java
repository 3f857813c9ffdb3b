package io.migrationgate.operator.effects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.migrationgate.api.v1alpha1.RecordContent;
import io.migrationgate.api.v1alpha1.SignedEnvelope;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signs a record as a DSSE envelope with an Ed25519 key. The signature covers the pre-authentication
 * encoding {@code DSSEv1 SP len(type) SP type SP len(payload) SP payload}, so an auditor verifies
 * it with openssl alone (docs/evidence.md). The key's id is the SHA-256 of its public key's DER
 * encoding, which {@code openssl pkey -pubin -outform DER | sha256sum} recomputes.
 */
public final class RecordSigner {

  public static final String PAYLOAD_TYPE = "application/vnd.migrationgate.record.v1+json";

  /** Sorted keys, two-space indents: the payload reads as the plugin prints it. */
  private static final ObjectMapper PAYLOAD_JSON = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private final KeyPair keys;
  private final String keyId;

  /** {@code pkcs8Pem}: an Ed25519 private key, PEM "PRIVATE KEY" (openssl genpkey, helm's genPrivateKey). */
  public RecordSigner(String pkcs8Pem) throws GeneralSecurityException {
    this.keys = keyPair(pkcs8Pem);
    this.keyId = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded()));
  }

  public String keyId() {
    return keyId;
  }

  /** The public key, PEM "PUBLIC KEY", as openssl reads it with -pubin. */
  public String publicKeyPem() {
    return pem("PUBLIC KEY", keys.getPublic().getEncoded());
  }

  public SignedEnvelope sign(RecordContent record) {
    byte[] payload = payload(record);
    SignedEnvelope envelope = new SignedEnvelope();
    envelope.payloadType = PAYLOAD_TYPE;
    envelope.payload = Base64.getEncoder().encodeToString(payload);
    SignedEnvelope.Signature signature = new SignedEnvelope.Signature();
    signature.keyid = keyId;
    try {
      Signature ed25519 = Signature.getInstance("Ed25519");
      ed25519.initSign(keys.getPrivate());
      ed25519.update(preAuthenticationEncoding(PAYLOAD_TYPE, payload));
      signature.sig = Base64.getEncoder().encodeToString(ed25519.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK could not sign with Ed25519: " + e.getMessage(), e);
    }
    envelope.signatures.add(signature);
    return envelope;
  }

  static byte[] payload(RecordContent record) {
    try {
      return PAYLOAD_JSON.writeValueAsBytes(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a record could not be written as JSON: " + e.getMessage(), e);
    }
  }

  /** DSSE's PAE; lengths are byte counts in ASCII decimal. */
  static byte[] preAuthenticationEncoding(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ").getBytes(StandardCharsets.UTF_8);
    byte[] pae = new byte[head.length + payload.length];
    System.arraycopy(head, 0, pae, 0, head.length);
    System.arraycopy(payload, 0, pae, head.length, payload.length);
    return pae;
  }

  /**
   * The key pair of a PKCS#8 private key. The JDK has no call that derives an Ed25519 public key,
   * but its key pair generator derives it from a 32-byte seed it draws from the random source it is
   * given: handed a source that yields the key's own seed, it rebuilds the pair.
   */
  private static KeyPair keyPair(String pkcs8Pem) throws GeneralSecurityException {
    PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der(pkcs8Pem)));
    byte[] seed = ((EdECPrivateKey) key).getBytes()
        .orElseThrow(() -> new GeneralSecurityException("the private key holds no Ed25519 seed"));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    generator.initialize(NamedParameterSpec.ED25519, new SeedSource(seed));
    KeyPair pair = generator.generateKeyPair();
    if (!java.util.Arrays.equals(((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow(), seed)) {
      throw new GeneralSecurityException("the public key could not be derived from the private key");
    }
    return pair;
  }

  private static byte[] der(String pem) throws GeneralSecurityException {
    String body = pem.replace("\r", "");
    int begin = body.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = body.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new GeneralSecurityException("expected a PEM \"PRIVATE KEY\" block (PKCS#8), as written by "
          + "openssl genpkey -algorithm ed25519");
    }
    String base64 = body.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("the PEM block is not base64: " + e.getMessage());
    }
  }

  private static String pem(String type, byte[] der) {
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }

  /** Yields one fixed seed: used only to rebuild a key pair from its private key. */
  private static final class SeedSource extends SecureRandom {
    private final byte[] seed;

    SeedSource(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (bytes.length != seed.length) {
        throw new IllegalStateException("expected a request for " + seed.length + " bytes, got " + bytes.length);
      }
      System.arraycopy(seed, 0, bytes, 0, bytes.length);
    }
  }
}
