package io.migrationgate.operator.lifecycle;

import static io.migrationgate.operator.Requests.runningPlanJob;
import static io.migrationgate.operator.Requests.waitingForPlanJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.api.v1alpha1.MigrationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan Job line: limits per database and in all, and fairness across namespaces. */
class PlanJobLineTest {

  private static final String DB_A = "jdbc:postgresql://a-db:5432/a";
  private static final String DB_B = "jdbc:postgresql://b-db:5432/b";
  private static final String DB_C = "jdbc:postgresql://c-db:5432/c";

  @Test
  void oneDatabaseRunsOnePlanJobWhileOthersGoOn() {
    PlanJobLine line = new PlanJobLine(1, 4);
    MigrationRequest onA = runningPlanJob("shop", "first", DB_A);
    MigrationRequest alsoA = waitingForPlanJob("shop", "second", DB_A);
    MigrationRequest onB = waitingForPlanJob("shop", "third", DB_B);
    List<MigrationRequest> all = List.of(onA, alsoA, onB);

    assertThat(line.waitReason(alsoA, all, Map.of())).hasValueSatisfying(why -> assertThat(why)
        .contains("1 of 2 in line", "on this database: 1 (at most 1)", "in the cluster: 1 (at most 4)"));
    assertThat(line.waitReason(onB, all, Map.of())).as("a full database does not hold back another").isEmpty();
  }

  @Test
  void theClusterWideLimitHoldsAcrossDatabases() {
    PlanJobLine line = new PlanJobLine(1, 2);
    List<MigrationRequest> all = new ArrayList<>(List.of(runningPlanJob("shop", "a", DB_A), runningPlanJob("shop", "b", DB_B)));
    MigrationRequest onC = waitingForPlanJob("shop", "c", DB_C);
    all.add(onC);

    assertThat(line.waitReason(onC, all, Map.of())).hasValueSatisfying(why -> assertThat(why).contains("in the cluster: 2 (at most 2)"));
  }

  @Test
  void oneTeamsBurstDoesNotStarveAnotherTeamsSingleRequest() {
    PlanJobLine line = new PlanJobLine(2, 2);
    List<MigrationRequest> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(waitingForPlanJob("team-a", "burst-" + i, i % 2 == 0 ? DB_A : DB_B));
    }
    MigrationRequest single = waitingForPlanJob("team-b", "single", DB_C);
    all.add(single);

    assertThat(line.waitReason(single, all, Map.of())).as("second in line, behind team-a's oldest only").isEmpty();
    assertThat(line.waitReason(all.get(0), all, Map.of())).isEmpty();
    assertThat(line.waitReason(all.get(1), all, Map.of())).hasValueSatisfying(why -> assertThat(why).contains("3 of 21 in line"));
  }

  @Test
  void aSlotTheOperatorClaimedCountsBeforeTheCacheShowsItsMarker() {
    PlanJobLine line = new PlanJobLine(1, 4);
    MigrationRequest first = waitingForPlanJob("shop", "first", DB_A);
    MigrationRequest second = waitingForPlanJob("shop", "second", DB_A);
    List<MigrationRequest> cache = List.of(first, second);

    assertThat(line.waitReason(second, cache, Map.of(RequestKey.of(first), DatabaseQueue.database(first))))
        .hasValueSatisfying(why -> assertThat(why).contains("on this database: 1 (at most 1)"));
    assertThat(line.startable(cache, Map.of())).as("in line order, one per database").containsExactly(RequestKey.of(first));
  }
}
