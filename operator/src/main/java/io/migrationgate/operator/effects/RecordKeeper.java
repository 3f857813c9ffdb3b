package io.migrationgate.operator.effects;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.migrationgate.api.v1alpha1.MigrationRecord;
import io.migrationgate.api.v1alpha1.MigrationRecordSpec;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.RecordContent;
import io.migrationgate.operator.lifecycle.RecordContents;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the signed MigrationRecord of a request that ended after approval, once, and deletes
 * records whose retention is over. A record has no owner, so deleting the request or its namespace
 * leaves it. The signing key is read from its Secret at each record, so a rotated key is used from
 * the next record on; each key's public half is added to the published keys ConfigMap before its
 * first record, and older keys stay there to verify older records.
 */
public final class RecordKeeper {

  /** The Secret's entry holding the Ed25519 private key, PEM PKCS#8. */
  public static final String SIGNING_KEY_ENTRY = "signing-key.pem";
  private static final Duration SWEEP_EVERY = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(RecordKeeper.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Where the key is and how long records stay: the Secret and the ConfigMap live in the operator's
   * own namespace.
   */
  public record Settings(String namespace, String signingKeySecret, String keysConfigMap, Duration retention) {}

  private final KubernetesClient client;
  private final Settings settings;
  private final Clock clock;
  /** Records known to exist, by name; saves a read on every later reconcile of an ended request. */
  private final Set<String> kept = ConcurrentHashMap.newKeySet();
  private final Set<String> published = ConcurrentHashMap.newKeySet();

  /** {@code settings} null: records are off (no signing key configured). */
  public RecordKeeper(KubernetesClient client, Settings settings, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Writes {@code request}'s record if it has ended after approval and has none yet. Throws when
   * it cannot, so the reconcile is retried and the request's deletion waits for its record.
   */
  public void keep(MigrationRequest request) {
    if (settings == null) {
      return;
    }
    String name = RecordContents.name(request);
    if (kept.contains(name)) {
      return;
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Optional<RecordContent> content = RecordContents.of(request, now, settings.retention());
    if (content.isEmpty()) {
      return;
    }
    if (client.resources(MigrationRecord.class).withName(name).get() == null) {
      create(name, content.get());
    }
    kept.add(name);
  }

  /** The request is gone; its record stays. */
  public void forget(MigrationRequest request) {
    kept.remove(RecordContents.name(request));
  }

  private void create(String name, RecordContent content) {
    RecordSigner signer = signer();
    publish(signer);
    MigrationRecord record = new MigrationRecord();
    record.setMetadata(new ObjectMetaBuilder().withName(name).build());
    MigrationRecordSpec spec = new MigrationRecordSpec();
    spec.record = content;
    spec.envelope = signer.sign(content);
    record.setSpec(spec);
    try {
      client.resource(record).create();
    } catch (KubernetesClientException e) {
      // another replica (or an earlier pass whose answer was lost) wrote it: records never change
      if (e.getCode() != 409) {
        throw new IllegalStateException("the MigrationRecord " + name + " could not be created (" + e.getCode()
            + "): " + JobLauncher.why(e) + "; the operator tries again", e);
      }
    }
  }

  private RecordSigner signer() {
    String where = settings.namespace() + "/" + settings.signingKeySecret();
    Secret secret = client.secrets().inNamespace(settings.namespace()).withName(settings.signingKeySecret()).get();
    if (secret == null || secret.getData() == null || !secret.getData().containsKey(SIGNING_KEY_ENTRY)) {
      throw new IllegalStateException("records cannot be signed: the Secret " + where
          + (secret == null ? " does not exist" : " has no entry " + SIGNING_KEY_ENTRY)
          + "; the chart creates it unless records.signingKeySecret names one of yours (docs/evidence.md, "
          + "\"Signing key\")");
    }
    try {
      return new RecordSigner(new String(Base64.getDecoder().decode(secret.getData().get(SIGNING_KEY_ENTRY)),
          StandardCharsets.UTF_8));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("records cannot be signed: " + SIGNING_KEY_ENTRY + " in the Secret " + where
          + " is not an Ed25519 private key (" + e.getMessage() + "); write one with openssl genpkey -algorithm "
          + "ed25519 (docs/evidence.md, \"Signing key\")", e);
    }
  }

  /** Adds the key's public half to the keys ConfigMap, leaving the keys already there. */
  private void publish(RecordSigner signer) {
    if (published.contains(signer.keyId())) {
      return;
    }
    String entry = signer.keyId() + ".pem";
    ConfigMap keys = client.configMaps().inNamespace(settings.namespace()).withName(settings.keysConfigMap()).get();
    if (keys == null) {
      throw new IllegalStateException("records cannot be signed: the public keys ConfigMap " + settings.namespace()
          + "/" + settings.keysConfigMap() + " does not exist; the chart creates it (docs/evidence.md)");
    }
    if (keys.getData() == null || !signer.publicKeyPem().equals(keys.getData().get(entry))) {
      String patch = JSON.createObjectNode().set("data", JSON.valueToTree(Map.of(entry, signer.publicKeyPem())))
          .toString();
      client.configMaps().inNamespace(settings.namespace()).withName(settings.keysConfigMap())
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      LOG.info("published the record signing key {} in ConfigMap {}/{}", signer.keyId(), settings.namespace(),
          settings.keysConfigMap());
    }
    published.add(signer.keyId());
  }

  /** Whether records are kept at all (a signing key is configured). */
  public boolean enabled() {
    return settings != null;
  }

  /**
   * Deletes the records whose retainUntil has passed, and with each the evidence it kept alive in the
   * runs namespace once its request is gone; returns how many records.
   */
  public int sweep() {
    if (settings == null) {
      return 0;
    }
    Instant now = clock.instant();
    int deleted = 0;
    for (MigrationRecord record : client.resources(MigrationRecord.class).list().getItems()) {
      if (expired(record, now)) {
        deleteKeptEvidence(record.getSpec().record);
        client.resource(record).delete();
        deleted++;
      }
    }
    return deleted;
  }

  /** By name and only the object the record names (its uid): a ConfigMap made since under that name stays. */
  private void deleteKeptEvidence(RecordContent content) {
    if (content.request != null) {
      MigrationRequest live = client.resources(MigrationRequest.class).inNamespace(content.request.namespace)
          .withName(content.request.name).get();
      if (live != null && live.getMetadata().getUid().equals(content.request.uid)) {
        return;
      }
    }
    for (RecordContents.KeptEvidence evidence : RecordContents.keptInRunsNamespace(content)) {
      ConfigMap kept = client.configMaps().inNamespace(evidence.namespace()).withName(evidence.name()).get();
      if (kept != null && kept.getMetadata().getUid().equals(evidence.uid())) {
        client.resource(kept).delete();
      }
    }
  }

  private static boolean expired(MigrationRecord record, Instant now) {
    String until = record.getSpec() == null || record.getSpec().record == null ? null
        : record.getSpec().record.retainUntil;
    return until != null && Instant.parse(until).isBefore(now);
  }

  /**
   * Sweeps once an hour on a daemon thread, from start-up. Every replica sweeps: deleting a record
   * twice is harmless, and a standby keeps no state to go stale.
   */
  public void startSweeping() {
    if (settings == null) {
      return;
    }
    var timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "record-sweep");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        int deleted = sweep();
        if (deleted > 0) {
          LOG.info("deleted {} MigrationRecords past their retention", deleted);
        }
      } catch (RuntimeException e) {
        LOG.warn("could not sweep MigrationRecords past their retention: {}; next try in {}", e.getMessage(),
            SWEEP_EVERY);
      }
    }, 1, SWEEP_EVERY.toMinutes(), TimeUnit.MINUTES);
  }
}
