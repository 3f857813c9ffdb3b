package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A target's maintenance window and approval expiry on the real API server with the chart: approved
 * runs wait for the window and start in it; an approval left waiting past its expiry is void, the
 * old annotation never launches, and only a fresh approval of the fresh plan runs. The window is a
 * real one a few minutes ahead, in a zone other than UTC, so nothing in the operator is faked.
 */
@ExtendWith(SharedClusters.class)
class LaunchTimingIT {

  private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
  /** Enough for both plans to be recorded before the window opens, on a busy two-core machine. */
  private static final Duration LEAD = Duration.ofSeconds(150);

  private final GuardedCluster g;

  LaunchTimingIT(GuardedCluster guarded) {
    this.g = guarded;
  }

  @Test
  void anApprovedRunWaitsForItsWindowAndAnApprovalUnusedPastItsExpiryIsVoid() throws Exception {
    // The window opens at the first whole minute after LEAD, every day, for three minutes.
    ZonedDateTime opens = Instant.now().plus(LEAD).truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1))
        .atZone(KOLKATA);
    String local = "%02d:%02d".formatted(opens.getHour(), opens.getMinute());
    String window = "{\"start\":\"" + local + "\",\"duration\":\"3m\",\"timeZone\":\"Asia/Kolkata\"}";

    String waits = "windows-wait";
    String expires = "windows-expiry";
    g.createNamespace(waits);
    g.createNamespace(expires);
    String waitsUrl = g.database("windows_wait");
    String expiresUrl = g.database("windows_expiry");
    GuardedCluster.require(g.admin.run("patch", "migrationtarget", Targets.nameOf(waitsUrl), "--type=merge", "-p",
        "{\"spec\":{\"maintenanceWindows\":[" + window + "]}}"));
    GuardedCluster.require(g.admin.run("patch", "migrationtarget", Targets.nameOf(expiresUrl), "--type=merge", "-p",
        "{\"spec\":{\"approvalExpiresAfter\":\"5s\",\"maintenanceWindows\":[" + window + "]}}"));
    g.submit(waits, "orders", Fixtures.orders(), Fixtures.spec("orders", waitsUrl));
    g.submit(expires, "orders", Fixtures.orders(), Fixtures.spec("orders", expiresUrl));
    g.awaitPhase(waits, "orders", "AwaitingApproval", GuardedCluster.PLANNED);
    g.awaitPhase(expires, "orders", "AwaitingApproval", GuardedCluster.PLANNED);
    assertThat(Instant.now()).as("planned before the window: raise LEAD").isBefore(opens.toInstant().minusSeconds(20));

    g.approve(waits, "orders");
    g.approve(expires, "orders");
    JsonNode queued = g.awaitVerdict(waits, "orders", "Queued", "Ready", "OutsideMaintenanceWindow",
        GuardedCluster.VERDICT);
    assertThat(GuardedCluster.condition(queued, "Ready").path("message").asText())
        .as("the next window in its zone and in UTC")
        .contains(local + " Asia/Kolkata (" + opens.toInstant() + ")");
    assertThat(queued.at("/status/queue/windowOpensAt").asText()).isEqualTo(opens.toInstant().toString());

    String plan = GuardedCluster.require(KubectlPluginIT.plugin(g.requester, null, "plan", "orders", "-n", waits)).out();
    assertThat(plan).as("the plugin shows the planned windows and the next").contains(
        "windows:    runs start only inside: " + local + " for 3m (Asia/Kolkata)",
        "next window: opens " + opens.toInstant());
    assertThat(GuardedCluster.require(KubectlPluginIT.plugin(g.requester, null, "status", "orders", "-n", waits)).out())
        .contains("next window opens: " + opens.toInstant());

    JsonNode expired = g.awaitVerdict(expires, "orders", "AwaitingApproval", "Ready", "ApprovalExpired",
        GuardedCluster.PLANNED);
    assertThat(expired.at("/status/approval").isMissingNode()).as("no latched approval").isTrue();
    assertThat(expired.at("/status/expiredApproval/approvedBy").asText()).isEqualTo(LocalUser.APPROVER.userName());
    assertThat(expired.at("/status/plan/check/replans").asInt()).as("the database was read again").isEqualTo(1);
    assertThat(GuardedCluster.condition(expired, "Ready").path("message").asText()).contains("approve again");

    assertThat(GuardedCluster.require(KubectlPluginIT.plugin(g.requester, null, "plan", "orders", "-n", expires)).out())
        .contains("expiry:     an approval is void 5s after", "expired:    the approval by " + LocalUser.APPROVER.userName());
    Kubectl.Result again = KubectlPluginIT.plugin(g.approver, null, "approve", "orders", "-n", expires, "--yes");
    assertThat(again.ok()).as("approving again over the expired approval: " + again).isFalse();
    assertThat(again.err()).contains("expired unused", "Remove them first");

    JsonNode ran = g.awaitPhase(waits, "orders", "Succeeded", LEAD.plus(GuardedCluster.FINISHED));
    assertThat(Instant.parse(ran.at("/status/job/createdAt").asText()))
        .as("the Job was created inside the window, not before").isAfterOrEqualTo(opens.toInstant());
    assertThat(g.tables("windows_wait", "orders")).isEqualTo(1);

    // Inside the window the old annotation, still there, launches nothing.
    g.awaitRequest(expires, "orders", "the window open", r -> !Instant.now().isBefore(opens.toInstant()),
        LEAD.plus(GuardedCluster.FINISHED));
    g.nudge(expires, "orders");
    Thread.sleep(3_000);
    JsonNode stillVoid = g.request(expires, "orders");
    assertThat(stillVoid.at("/status/phase").asText()).isEqualTo("AwaitingApproval");
    assertThat(stillVoid.at("/status/job").isMissingNode()).as("nothing launched on the expired approval").isTrue();
    assertThat(g.tables("windows_expiry", "orders")).isZero();

    GuardedCluster.require(g.approver.run("annotate", "mr", "orders", "-n", expires, "migrationgate.io/approved-by-"));
    g.awaitVerdict(expires, "orders", "AwaitingApproval", "Ready", "AwaitingApproval", GuardedCluster.VERDICT);
    g.approve(expires, "orders");
    JsonNode fresh = g.awaitPhase(expires, "orders", "Succeeded", GuardedCluster.FINISHED);
    assertThat(fresh.at("/status/approval/digest").asText()).isEqualTo(fresh.at("/status/plan/digest").asText());
    assertThat(g.tables("windows_expiry", "orders")).isEqualTo(1);
  }

  @Test
  void theCrdRefusesWindowsAndExpiriesItCannotReadWithClearMessages() throws Exception {
    String example = java.nio.file.Files.readString(
        ChartRelease.repo().resolve("examples/windows/target-orders-nightly.yaml"));
    GuardedCluster.require(g.admin.runWithInput(example, "apply", "--dry-run=server", "-f", "-"));
    String[][] bad = {
        {"- {start: \"25:00\", duration: 1h}", "start"},
        {"- {start: \"22:00\", duration: 30s}", "duration must be between 1m and 168h"},
        {"- {start: \"22:00\", duration: 200h}", "duration must be between 1m and 168h"},
        {"- {start: \"22:00\", duration: soon}", "duration"},
        {"- {days: [Funday], start: \"22:00\", duration: 1h}", "Funday"},
        {"- {start: \"22:00\", duration: 1h, timeZone: \"CET; rm\"}", "timeZone"},
        {"[]", "maintenanceWindows"},
    };
    for (String[] b : bad) {
      Kubectl.Result refused = g.admin.runWithInput(example.replaceFirst(
          "(?s)  maintenanceWindows:.*", "  maintenanceWindows:\n    " + b[0].replace("\n", "\n    ") + "\n"),
          "apply", "--dry-run=server", "-f", "-");
      assertThat(refused.ok()).as("refused: " + b[0]).isFalse();
      assertThat(refused.err()).as(b[0]).contains(b[1]);
    }
    Kubectl.Result expiry = g.admin.runWithInput(example.replace("approvalExpiresAfter: 4h", "approvalExpiresAfter: 0s"),
        "apply", "--dry-run=server", "-f", "-");
    assertThat(expiry.err()).contains("approvalExpiresAfter must be between 1s and 720h");
  }
}
