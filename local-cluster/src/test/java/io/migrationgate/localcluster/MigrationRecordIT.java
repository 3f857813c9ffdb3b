package io.migrationgate.localcluster;

import static io.migrationgate.localcluster.GuardedCluster.require;
import static io.migrationgate.localcluster.KubectlPluginIT.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request that ran leaves a signed MigrationRecord that outlives it: deleted by the requester
 * (the chart's requester role may delete requests), its record stays, shows in {@code kubectl
 * migrationgate history}, and verifies, by the plugin and by the openssl commands docs/evidence.md
 * gives an auditor outside the cluster. Nobody but the operator writes or deletes a record, and
 * a record whose payload was changed fails both checks.
 */
@ExtendWith(SharedClusters.class)
class MigrationRecordIT {

  static final String KEYS = ChartRelease.NAMESPACE + "/" + ChartRelease.RELEASE + "-migration-gate-record-keys";
  static final String RECORD_VIEWER = ChartRelease.RELEASE + "-migration-gate-record-viewer";

  private final GuardedCluster g;
  private final Kubectl auditor;

  MigrationRecordIT(GuardedCluster guarded) {
    this.g = guarded;
    this.auditor = guarded.cluster.kubectl(LocalUser.OUTSIDER);
  }

  @Test
  void aDeletedRequestsRecordSurvivesVerifiesAndShowsInHistory() throws Exception {
    String ns = "record-kept";
    g.awaitingApproval(ns, "orders", Fixtures.orders());
    g.bindTheChartsRoles(ns);
    g.approve(ns, "orders");
    JsonNode ended = g.awaitPhase(ns, "orders", "Succeeded", GuardedCluster.FINISHED);
    String uid = ended.at("/metadata/uid").asText();
    JsonNode status = ended.path("status");
    awaitRecord(uid);

    require(g.requester.run("delete", "mr", "orders", "-n", ns, "--wait=true", "--timeout=60s"));
    assertThat(g.admin.run("get", "mr", "orders", "-n", ns).err()).contains("NotFound");
    JsonNode record = GuardedCluster.JSON.readTree(require(g.admin.run("get", "migrationrecord", uid, "-o", "json")).out());
    JsonNode content = record.at("/spec/record");
    assertThat(content.at("/request/namespace").asText() + "/" + content.at("/request/name").asText())
        .isEqualTo(ns + "/orders");
    assertThat(content.at("/approval/requestedBy").asText()).isEqualTo(LocalUser.REQUESTER.userName());
    assertThat(content.at("/approval/approvedBy").asText()).isEqualTo(LocalUser.APPROVER.userName());
    assertThat(content.at("/approval/digest").asText()).isEqualTo(status.at("/plan/digest").asText());
    assertThat(content.at("/plan/scriptsDigest").asText()).isEqualTo(status.at("/plan/scriptsDigest").asText());
    assertThat(content.at("/job/uid").asText()).isEqualTo(status.at("/job/uid").asText());
    assertThat(content.at("/outcome/phase").asText()).isEqualTo("Succeeded");
    assertThat(content.path("evidence").findValuesAsText("uid")).contains(status.at("/evidence/configMapUid").asText(),
        status.at("/plan/check/evidence/configMapUid").asText());
    assertThat(content.path("evidence").findValuesAsText("digest")).contains(status.at("/evidence/digest").asText());

    canReadRecords(auditor);
    String history = require(KubectlPluginIT.plugin(auditor, null, "history", "-n", ns)).out();
    assertThat(history).contains("REQUEST", ns + "/orders", "WO-1234", LocalUser.REQUESTER.userName(),
        LocalUser.APPROVER.userName(), "Succeeded", uid);
    String shown = require(KubectlPluginIT.plugin(auditor, null, "history", "orders", "-n", ns, "--keys", KEYS)).out();
    assertThat(shown).contains("Record " + uid, "signature: verified (Ed25519 over DSSE, key "
        + record.at("/spec/envelope/signatures/0/keyid").asText() + " from ConfigMap " + KEYS + ")",
        "\"approvedBy\" : \"" + LocalUser.APPROVER.userName() + "\"");

    Path dir = Files.createTempDirectory("mg-record-audit-");
    documented(dir, "export", uid);
    assertThat(documented(dir, "verify", uid)).contains("Signature Verified Successfully");

    // the payload edited in the exported copy: the approver's name replaced by another of the same length
    ObjectNode exported = (ObjectNode) GuardedCluster.JSON.readTree(dir.resolve("record.json").toFile());
    ObjectNode envelope = (ObjectNode) exported.at("/spec/envelope");
    String payload = new String(Base64.getDecoder().decode(envelope.path("payload").asText()), StandardCharsets.UTF_8);
    envelope.put("payload", Base64.getEncoder().encodeToString(
        payload.replace(LocalUser.APPROVER.userName(), "eve-the-approver").getBytes(StandardCharsets.UTF_8)));
    GuardedCluster.JSON.writeValue(dir.resolve("record.json").toFile(), exported);
    assertThat(documentedFails(dir, "verify", uid)).contains("Signature Verification Failure");
  }

  @Test
  void nobodyButTheOperatorCreatesChangesOrDeletesARecord() throws Exception {
    String ns = "record-guarded";
    g.awaitingApproval(ns, "orders", Fixtures.orders());
    g.bindTheChartsRoles(ns);
    g.approve(ns, "orders");
    String uid = g.awaitPhase(ns, "orders", "Succeeded", GuardedCluster.FINISHED).at("/metadata/uid").asText();
    JsonNode record = GuardedCluster.JSON.readTree(awaitRecord(uid));
    String copy = forgery(record, "made-up-record", record.at("/spec/envelope/payload").asText());

    // the requester holds no right on records at all
    assertThat(g.requester.run("annotate", "migrationrecord", uid, "note=x").err()).contains("forbidden");
    assertThat(g.requester.run("delete", "migrationrecord", uid).err()).contains("forbidden");
    assertThat(g.requester.runWithInput(copy, "create", "-f", "-").err()).contains("forbidden");
    // a cluster admin, whom RBAC allows everything, is stopped by the chart's policy
    assertThat(g.admin.run("annotate", "migrationrecord", uid, "note=x").err())
        .contains("a MigrationRecord never changes once written; admin may not update " + uid);
    assertThat(g.admin.run("delete", "migrationrecord", uid).err()).contains(
        "MigrationRecords are created and deleted only by the Migration Gate operator (" + ChartRelease.SA_USER
            + "); admin may not delete one");
    assertThat(g.admin.runWithInput(copy, "create", "-f", "-").err()).contains(
        "MigrationRecords are created and deleted only by the Migration Gate operator (" + ChartRelease.SA_USER
            + "); admin may not create one");
    assertThat(GuardedCluster.JSON.readTree(g.admin.run("get", "migrationrecord", uid, "-o", "json").out()))
        .as("the record is as the operator wrote it").isEqualTo(record);
  }

  /**
   * A stolen operator token can create a record, but not sign one: a record whose payload says
   * someone else approved fails the plugin's check.
   */
  @Test
  void aRecordWhosePayloadWasChangedIsCalledForged() throws Exception {
    String ns = "record-forged";
    g.awaitingApproval(ns, "orders", Fixtures.orders());
    g.bindTheChartsRoles(ns);
    g.approve(ns, "orders");
    String uid = g.awaitPhase(ns, "orders", "Succeeded", GuardedCluster.FINISHED).at("/metadata/uid").asText();
    JsonNode record = GuardedCluster.JSON.readTree(awaitRecord(uid));
    String payload = new String(Base64.getDecoder().decode(record.at("/spec/envelope/payload").asText()),
        StandardCharsets.UTF_8);
    String forged = Base64.getEncoder().encodeToString(
        payload.replace(LocalUser.APPROVER.userName(), "eve-the-approver").getBytes(StandardCharsets.UTF_8));
    require(g.admin.runWithInput(forgery(record, "forged-" + uid, forged), "--as=" + ChartRelease.SA_USER, "create", "-f", "-"));

    canReadRecords(auditor);
    assertThat(require(KubectlPluginIT.plugin(auditor, null, "history", uid, "--keys", KEYS)).out())
        .contains("signature: verified");
    Kubectl.Result refusedRecord = refused(KubectlPluginIT.plugin(auditor, null, "history", "forged-" + uid, "--keys", KEYS),
        "FORGED: the signature of record forged-" + uid + " does not verify with key");
    assertThat(refusedRecord.out()).as("the forged payload is not shown").doesNotContain("eve-the-approver");
  }

  /** The record as the operator's ServiceAccount would create it under {@code name}, with {@code payload}. */
  private static String forgery(JsonNode record, String name, String payload) {
    ObjectNode copy = record.deepCopy();
    ((ObjectNode) copy.get("metadata")).removeAll().put("name", name);
    ((ObjectNode) copy.at("/spec/envelope")).put("payload", payload);
    return copy.toString();
  }

  private String awaitRecord(String uid) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .until(() -> g.admin.run("get", "migrationrecord", uid).ok());
    return require(g.admin.run("get", "migrationrecord", uid, "-o", "json")).out();
  }

  /** The auditor gets the chart's record-viewer role, as docs/evidence.md tells a platform team to bind it. */
  private void canReadRecords(Kubectl who) {
    if (!g.admin.run("get", "clusterrolebinding", "record-auditors").ok()) {
      require(g.admin.run("create", "clusterrolebinding", "record-auditors", "--clusterrole=" + RECORD_VIEWER,
          "--user=" + LocalUser.OUTSIDER.userName()));
    }
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> who.run("auth", "can-i", "list", "migrationrecords.migrationgate.io").out().strip().equals("yes"));
  }

  /**
   * Runs docs/evidence.md's {@code which} block (export or verify) in {@code dir} as the auditor,
   * with its {@code record=} and {@code keys=} lines set to this record and this release's keys.
   */
  private String documented(Path dir, String which, String record) throws IOException {
    return Processes.run(documentedCommand(dir, which, record), Duration.ofSeconds(60));
  }

  private String documentedFails(Path dir, String which, String record) throws IOException {
    Process process = new ProcessBuilder(documentedCommand(dir, which, record)).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      assertThat(process.waitFor()).as(out).isNotZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return out;
  }

  private List<String> documentedCommand(Path dir, String which, String record) throws IOException {
    String script = block(which)
        .replaceAll("(?m)^record=.*$", "record=" + record)
        .replaceAll("(?m)^keys=.*$", "keys=" + KEYS);
    Path kubectl = g.cluster.controlPlane().binaries().kubectl();
    List<String> command = new ArrayList<>(List.of("env",
        "PATH=" + kubectl.getParent() + ":" + System.getenv("PATH"),
        "KUBECONFIG=" + g.cluster.controlPlane().kubeconfig(LocalUser.OUTSIDER),
        "bash", "-c", "set -o pipefail; cd \"$0\" && " + script, dir.toString()));
    return command;
  }

  /** The shell block after the line {@code <!-- record-<which> -->} in docs/evidence.md. */
  static String block(String which) throws IOException {
    String doc = Files.readString(ChartRelease.repo().resolve("docs/evidence.md"));
    Matcher block = Pattern.compile("<!-- record-" + which + " -->\\s*```sh\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertThat(block.find()).as("docs/evidence.md has a block marked <!-- record-%s -->", which).isTrue();
    return block.group(1);
  }
}
