package io.migrationgate.operator.effects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.migrationgate.api.v1alpha1.ApprovalStatus;
import io.migrationgate.api.v1alpha1.Conditions;
import io.migrationgate.api.v1alpha1.EvidenceStatus;
import io.migrationgate.api.v1alpha1.JobStatus;
import io.migrationgate.api.v1alpha1.MigrationRecord;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.api.v1alpha1.PlannedDatabase;
import io.migrationgate.api.v1alpha1.PlannedTarget;
import io.migrationgate.api.v1alpha1.RecordContent;
import io.migrationgate.api.v1alpha1.ResultStatus;
import io.migrationgate.api.v1alpha1.SignedEnvelope;
import io.migrationgate.operator.Requests;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class RecordKeeperTest {

  static KubernetesClient client;

  private static final Instant ENDED = Instant.parse("2026-12-07T10:15:30Z");
  private static final Clock CLOCK = Clock.fixed(ENDED, ZoneOffset.UTC);
  private static final RecordKeeper.Settings SETTINGS =
      new RecordKeeper.Settings("migration-gate", "record-signing-key", "record-keys", Duration.ofDays(400));

  private String privateKeyPem;

  @BeforeEach
  void aSigningKeyAndAnEmptyKeysConfigMap() throws Exception {
    client.resources(MigrationRecord.class).delete();
    newSigningKey();
    client.resource(new ConfigMapBuilder().withNewMetadata().withNamespace("migration-gate").withName("record-keys")
        .endMetadata().build()).createOr(c -> c.update());
  }

  private void newSigningKey() throws Exception {
    byte[] pkcs8 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded();
    privateKeyPem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs8)
        + "\n-----END PRIVATE KEY-----\n";
    client.resource(new SecretBuilder().withNewMetadata().withNamespace("migration-gate").withName("record-signing-key")
        .endMetadata().addToData(RecordKeeper.SIGNING_KEY_ENTRY, b64(privateKeyPem)).build()).createOr(c -> c.update());
  }

  @Test
  void aRequestThatRanAfterApprovalLeavesOneSignedRecordNamedAfterItsUid() throws Exception {
    RecordKeeper keeper = new RecordKeeper(client, SETTINGS, CLOCK);
    MigrationRequest ran = ranAndSucceeded();
    keeper.keep(ran);
    keeper.keep(ran);

    assertThat(client.resources(MigrationRecord.class).list().getItems()).hasSize(1);
    MigrationRecord record = client.resources(MigrationRecord.class).withName(ran.getMetadata().getUid()).get();
    RecordContent content = record.getSpec().record;
    assertThat(record.getMetadata().getOwnerReferences()).as("deleting the request must leave its record").isEmpty();
    assertThat(content.request.namespace + "/" + content.request.name).isEqualTo("staging/orders");
    assertThat(content.request.workOrder).isEqualTo("WO-1234");
    assertThat(content.approval.requestedBy).isEqualTo("rita");
    assertThat(content.approval.approvedBy).isEqualTo("alice");
    assertThat(content.approval.digest).isEqualTo("sha256:plan");
    assertThat(content.plan.scriptsDigest).isEqualTo("sha256:scripts");
    assertThat(content.plan.database).isEqualTo("orders-db:5432/orders");
    assertThat(content.plan.riskLevel).isEqualTo("low");
    assertThat(content.job.name).isEqualTo("orders-run");
    assertThat(content.job.uid).isEqualTo("job-uid");
    assertThat(content.outcome.phase).isEqualTo("Succeeded");
    assertThat(content.outcome.reason).isEqualTo("Succeeded");
    assertThat(content.outcome.runnerOutcome).isEqualTo("SUCCEEDED");
    assertThat(content.outcome.finishedAt).isEqualTo("2026-12-07T10:15:00Z");
    assertThat(content.evidence).singleElement().satisfies(e -> {
      assertThat(e.kind).isEqualTo("run");
      assertThat(e.configMap).isEqualTo("staging/orders-evidence-abcde");
      assertThat(e.uid).isEqualTo("evidence-uid");
      assertThat(e.digest).isEqualTo("sha256:evidence");
    });
    assertThat(content.recordedAt).isEqualTo("2026-12-07T10:15:30Z");
    assertThat(content.retainUntil).isEqualTo("2028-01-11T10:15:30Z");

    SignedEnvelope envelope = record.getSpec().envelope;
    assertThat(envelope.payloadType).isEqualTo(RecordSigner.PAYLOAD_TYPE);
    byte[] payload = Base64.getDecoder().decode(envelope.payload);
    assertThat(new ObjectMapper().readTree(payload)).as("the payload is the record's content")
        .isEqualTo(new ObjectMapper().valueToTree(content));
    PublicKey published = publishedKey(envelope.signatures.get(0).keyid);
    assertThat(envelope.signatures.get(0).keyid)
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(published.getEncoded())));
    assertThat(verifies(envelope, published, payload)).isTrue();
  }

  @Test
  void aChangedPayloadOrTypeNoLongerVerifies() throws Exception {
    new RecordKeeper(client, SETTINGS, CLOCK).keep(ranAndSucceeded());
    SignedEnvelope envelope = client.resources(MigrationRecord.class).list().getItems().get(0).getSpec().envelope;
    PublicKey key = publishedKey(envelope.signatures.get(0).keyid);
    byte[] payload = Base64.getDecoder().decode(envelope.payload);
    byte[] forged = new String(payload, StandardCharsets.UTF_8).replace("alice", "mallo").getBytes(StandardCharsets.UTF_8);
    assertThat(verifies(envelope, key, forged)).isFalse();
    envelope.payloadType = "application/json";
    assertThat(verifies(envelope, key, payload)).isFalse();
  }

  @Test
  void aRotatedKeySignsTheNextRecordAndTheOldPublicKeyStays() throws Exception {
    RecordKeeper keeper = new RecordKeeper(client, SETTINGS, CLOCK);
    keeper.keep(ranAndSucceeded());
    newSigningKey();
    MigrationRequest second = ranAndSucceeded();
    second.getMetadata().setUid("22222222-2222-3333-4444-555555555555");
    keeper.keep(second);

    assertThat(client.configMaps().inNamespace("migration-gate").withName("record-keys").get().getData()).hasSize(2);
    for (MigrationRecord record : client.resources(MigrationRecord.class).list().getItems()) {
      SignedEnvelope envelope = record.getSpec().envelope;
      assertThat(verifies(envelope, publishedKey(envelope.signatures.get(0).keyid),
          Base64.getDecoder().decode(envelope.payload))).isTrue();
    }
  }

  @Test
  void noRecordBeforeTheEndOrWithoutAnApproval() {
    RecordKeeper keeper = new RecordKeeper(client, SETTINGS, CLOCK);
    MigrationRequest running = ranAndSucceeded();
    running.getStatus().phase = Phase.Running;
    keeper.keep(running);
    MigrationRequest rejectedBeforeApproval = ranAndSucceeded();
    rejectedBeforeApproval.getStatus().phase = Phase.Rejected;
    rejectedBeforeApproval.getStatus().approval = null;
    keeper.keep(rejectedBeforeApproval);
    assertThat(client.resources(MigrationRecord.class).list().getItems()).isEmpty();
  }

  @Test
  void withoutItsSecretTheKeeperSaysWhichSecretAndHowToProvideIt() {
    client.secrets().inNamespace("migration-gate").withName("record-signing-key").delete();
    assertThatThrownBy(() -> new RecordKeeper(client, SETTINGS, CLOCK).keep(ranAndSucceeded()))
        .hasMessageContaining("migration-gate/record-signing-key does not exist")
        .hasMessageContaining("records.signingKeySecret");
    assertThat(client.resources(MigrationRecord.class).list().getItems()).isEmpty();
  }

  @Test
  void theSweepDeletesOnlyRecordsPastTheirRetention() {
    new RecordKeeper(client, SETTINGS, CLOCK).keep(ranAndSucceeded());
    assertThat(new RecordKeeper(client, SETTINGS, Clock.offset(CLOCK, Duration.ofDays(399))).sweep()).isZero();
    assertThat(client.resources(MigrationRecord.class).list().getItems()).hasSize(1);
    assertThat(new RecordKeeper(client, SETTINGS, Clock.offset(CLOCK, Duration.ofDays(401))).sweep()).isOne();
    assertThat(client.resources(MigrationRecord.class).list().getItems()).isEmpty();
  }

  @Test
  void theSweepDeletesTheEvidenceItsRecordKeptInTheRunsNamespaceOnceTheRequestIsGone() {
    ConfigMap evidence = client.resource(evidenceConfigMap()).create();
    MigrationRequest ran = ranOnATarget(evidence);
    new RecordKeeper(client, SETTINGS, CLOCK).keep(ran);
    client.resource(ran).delete();

    assertThat(new RecordKeeper(client, SETTINGS, Clock.offset(CLOCK, Duration.ofDays(401))).sweep()).isOne();
    assertThat(client.configMaps().inNamespace("migration-gate").withName("orders-evidence-abcde").get())
        .as("the evidence goes with its record").isNull();
  }

  @Test
  void theSweepLeavesEvidenceWhoseRequestStillExistsOrThatIsAnotherObjectOfTheSameName() {
    ConfigMap evidence = client.resource(evidenceConfigMap()).create();
    MigrationRequest ran = ranOnATarget(evidence);
    new RecordKeeper(client, SETTINGS, CLOCK).keep(ran);
    assertThat(new RecordKeeper(client, SETTINGS, Clock.offset(CLOCK, Duration.ofDays(401))).sweep()).isOne();
    assertThat(client.configMaps().inNamespace("migration-gate").withName("orders-evidence-abcde").get())
        .as("the request still shows it").isNotNull();

    client.resource(ran).delete();
    new RecordKeeper(client, SETTINGS, CLOCK).keep(ran);
    client.resource(evidence).delete();
    ConfigMap sameName = client.resource(evidenceConfigMap()).create();
    assertThat(new RecordKeeper(client, SETTINGS, Clock.offset(CLOCK, Duration.ofDays(401))).sweep()).isOne();
    assertThat(client.configMaps().inNamespace("migration-gate").withName("orders-evidence-abcde").get())
        .as("not the object the record names").isNotNull()
        .satisfies(kept -> assertThat(kept.getMetadata().getUid()).isEqualTo(sameName.getMetadata().getUid()));
    client.resource(sameName).delete();
  }

  private static ConfigMap evidenceConfigMap() {
    return new ConfigMapBuilder().withNewMetadata().withNamespace("migration-gate").withName("orders-evidence-abcde")
        .endMetadata().build();
  }

  /** A target request that ran, its evidence {@code evidence} in the runs namespace, the request stored. */
  private static MigrationRequest ranOnATarget(ConfigMap evidence) {
    MigrationRequest ran = ranAndSucceeded();
    ran.getStatus().plan.target = new PlannedTarget();
    ran.getStatus().plan.target.name = "orders";
    ran.getStatus().plan.target.namespace = "migration-gate";
    ran.getStatus().evidence.configMapUid = evidence.getMetadata().getUid();
    MigrationRequest stored = client.resource(ran).create();
    ran.getMetadata().setUid(stored.getMetadata().getUid());
    return ran;
  }

  @Test
  void aPkcs8KeyAsOpensslWritesItIsReadAndItsPublicHalfDerived() throws Exception {
    // RFC 8410's example key, in the PEM openssl genpkey writes; the public key is what openssl pkey -pubout derives
    RecordSigner signer = new RecordSigner("""
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
        -----END PRIVATE KEY-----
        """);
    assertThat(signer.publicKeyPem()).isEqualTo("""
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
        -----END PUBLIC KEY-----
        """);
  }

  private static boolean verifies(SignedEnvelope envelope, PublicKey key, byte[] payload) throws Exception {
    Signature ed25519 = Signature.getInstance("Ed25519");
    ed25519.initVerify(key);
    byte[] type = envelope.payloadType.getBytes(StandardCharsets.UTF_8);
    ed25519.update(("DSSEv1 " + type.length + " " + envelope.payloadType + " " + payload.length + " ")
        .getBytes(StandardCharsets.UTF_8));
    ed25519.update(payload);
    return ed25519.verify(Base64.getDecoder().decode(envelope.signatures.get(0).sig));
  }

  private static PublicKey publishedKey(String keyId) throws Exception {
    Map<String, String> keys = client.configMaps().inNamespace("migration-gate").withName("record-keys").get().getData();
    assertThat(keys).containsKey(keyId + ".pem");
    String pem = keys.get(keyId + ".pem").replaceAll("-----[A-Z ]+-----|\\s", "");
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static MigrationRequest ranAndSucceeded() {
    MigrationRequest request = Requests.planned(Requests.request("staging", "orders"), "sha256:plan");
    request.getMetadata().setCreationTimestamp("2026-12-07T10:00:00Z");
    var status = request.getStatus();
    status.phase = Phase.Succeeded;
    status.plan.scriptsDigest = "sha256:scripts";
    status.plan.database = new PlannedDatabase();
    status.plan.database.address = "orders-db:5432/orders";
    status.plan.risk = new io.migrationgate.api.v1alpha1.PlanRisk();
    status.plan.risk.level = "low";
    status.approval = new ApprovalStatus();
    status.approval.approvedBy = "alice";
    status.approval.requestedBy = "rita";
    status.approval.digest = "sha256:plan";
    status.approval.recordedAt = "2026-12-07T10:05:00Z";
    status.job = new JobStatus();
    status.job.name = "orders-run";
    status.job.uid = "job-uid";
    status.job.finishedAt = "2026-12-07T10:15:00Z";
    status.result = new ResultStatus();
    status.result.outcome = "SUCCEEDED";
    status.evidence = new EvidenceStatus();
    status.evidence.configMap = "orders-evidence-abcde";
    status.evidence.configMapUid = "evidence-uid";
    status.evidence.digest = "sha256:evidence";
    status.conditions.add(new ConditionBuilder().withType(Conditions.READY).withStatus("True").withReason("Succeeded")
        .withMessage("applied").withLastTransitionTime("2026-12-07T10:15:10Z").build());
    return request;
  }
}
