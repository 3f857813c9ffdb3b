package io.migrationgate.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migrationgate.contract.RunReport.HistoryEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannedStateTest {

  private static final List<HistoryEntry> HISTORY = List.of(
      new HistoryEntry("1", "init", "V1__init.sql", 123456, true),
      new HistoryEntry("2", "add status", "V2__add_status.sql", -42, true));

  @Test
  void theHistoryDigestIsSha256OverOneLinePerRowAndStableAcrossReleases() {
    // Written out by hand so that a change of the row format, which would void every pinned
    // approval and every expected state in flight, cannot slip in unnoticed.
    String rows = "1|init|V1__init.sql|123456|true\n2|add status|V2__add_status.sql|-42|true\n";

    PlannedState state = PlannedState.of("2", HISTORY);

    assertThat(state.historyDigest()).isEqualTo("sha256:" + ScriptsDigest.ofContent(rows));
    assertThat(state.historyDigest()).isEqualTo("sha256:3cb988825378f6a0be8b169ffc76c6d789e0094f073ad4ff7494e22a1cbcdaa3");
    assertThat(PlannedState.of("2", HISTORY)).isEqualTo(state);
  }

  @Test
  void nullFieldsCountAsEmptyText() {
    PlannedState state = PlannedState.of(null, List.of(new HistoryEntry(null, "<< Flyway Schema Creation >>", "\"public\"", null, true)));

    assertThat(state.historyDigest())
        .isEqualTo("sha256:" + ScriptsDigest.ofContent("|<< Flyway Schema Creation >>|\"public\"||true\n"));
  }

  @Test
  void everyFieldOfEveryRowChangesTheDigest() {
    String base = PlannedState.of("2", HISTORY).historyDigest();
    List<List<HistoryEntry>> changed = List.of(
        List.of(HISTORY.get(0), new HistoryEntry("2", "add status", "V2__add_status.sql", -43, true)),
        List.of(HISTORY.get(0), new HistoryEntry("2", "add status", "V2__add_status.sql", -42, false)),
        List.of(HISTORY.get(0), new HistoryEntry("2", "add state", "V2__add_status.sql", -42, true)),
        List.of(HISTORY.get(0), new HistoryEntry("2.0", "add status", "V2__add_status.sql", -42, true)),
        List.of(HISTORY.get(0), new HistoryEntry("2", "add status", "V2__add_state.sql", -42, true)),
        List.of(HISTORY.get(1), HISTORY.get(0)),
        List.of(HISTORY.get(0)),
        List.of());

    for (List<HistoryEntry> history : changed) {
      assertThat(PlannedState.of("2", history).historyDigest()).as(history.toString()).isNotEqualTo(base);
    }
  }

  @Test
  void theTextFormParsesBackToTheSameState() {
    PlannedState applied = PlannedState.of("2.1", HISTORY);
    PlannedState empty = PlannedState.of(null, List.of());

    assertThat(applied.toString()).isEqualTo("version=2.1;history=" + applied.historyDigest());
    assertThat(empty.toString()).isEqualTo("version=;history=sha256:" + ScriptsDigest.ofContent(""));
    assertThat(PlannedState.parse(applied.toString())).isEqualTo(applied);
    assertThat(PlannedState.parse(empty.toString())).isEqualTo(empty);
    assertThat(PlannedState.parse(" " + applied + "\n")).as("surrounding blanks").isEqualTo(applied);
  }

  @Test
  void anythingElseIsRefusedShowingTheExpectedShape() {
    String digest = "sha256:" + "a".repeat(64);
    for (String text : List.of("", "2", "version=2", "history=" + digest, "version=2;history=" + digest + ";x=1",
        "history=" + digest + ";version=2", "version=2;history=sha256:" + "A".repeat(64),
        "version=2;history=sha256:abc", "version=latest;history=" + digest, "version=2 ;history=" + digest)) {
      assertThatThrownBy(() -> PlannedState.parse(text))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a planned state; expected version=<current version, empty when nothing"
              + " is applied>;history=sha256:<64 hex digits>");
    }
    assertThatThrownBy(() -> PlannedState.parse(null)).hasMessageStartingWith("a planned state is missing");
  }

  @Test
  void theApprovalDigestCoversTheScriptsAndTheState() {
    String scripts = "sha256:" + "1".repeat(64);
    PlannedState state = PlannedState.of("2", HISTORY);

    String digest = PlannedState.approvalDigest(scripts, state);

    assertThat(digest).isEqualTo("sha256:" + ScriptsDigest.ofContent(scripts + "\n" + state));
    assertThat(digest).isNotEqualTo(PlannedState.approvalDigest("sha256:" + "2".repeat(64), state));
    assertThat(digest).isNotEqualTo(PlannedState.approvalDigest(scripts, PlannedState.of("1", HISTORY.subList(0, 1))));
  }

  @Test
  void describesTheVersionForMessages() {
    assertThat(PlannedState.of("2", HISTORY).describe()).isEqualTo("version 2");
    assertThat(PlannedState.of(null, List.of()).describe()).isEqualTo("no migration applied");
  }
}
