package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.migrationgate.api.v1alpha1.Conditions.Reason;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationTarget;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.api.v1alpha1.PlanStatus;
import io.migrationgate.operator.Requests;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetAdmissionTest {

  private static final Map<String, String> SHOP = Map.of("team", "shop");
  private final TargetAdmission targetsOnly = new TargetAdmission(false);

  @Test
  void aTargetThatAdmitsTheNamespaceIsUsed() {
    assertThat(targetsOnly.refusal(onTarget(), Optional.of(target(false)), SHOP, null)).isEmpty();
  }

  @Test
  void anInlineDatabaseIsRefusedUnlessTheInstallationAllowsIt() {
    MigrationRequest inline = Requests.request("shop-staging", "orders");
    assertThat(targetsOnly.refusal(inline, Optional.empty(), SHOP, null)).get()
        .extracting(Verdict::phase, Verdict::reason).containsExactly(Phase.Blocked, Reason.INLINE_DATABASES_DISABLED);
    assertThat(new TargetAdmission(true).refusal(inline, Optional.empty(), SHOP, null)).isEmpty();
  }

  @Test
  void anInlineDatabaseAtAProductionTargetsAddressIsRefused() {
    MigrationRequest inline = Requests.request("shop-staging", "orders");
    assertThat(new TargetAdmission(true).refusal(inline, Optional.of(target(true)), SHOP, null)).get()
        .satisfies(v -> {
          assertThat(v.phase()).isEqualTo(Phase.Blocked);
          assertThat(v.reason()).isEqualTo(Reason.PRODUCTION_TARGET);
          assertThat(v.message()).contains("spec.database.url names the database of MigrationTarget",
              "a production database");
        });
  }

  @Test
  void aMissingTargetIsWaitedFor() {
    assertThat(targetsOnly.refusal(onTarget(), Optional.empty(), SHOP, null)).get()
        .extracting(Verdict::phase, Verdict::reason).containsExactly(Phase.Pending, Reason.TARGET_NOT_FOUND);
  }

  @Test
  void aProductionTargetIsRefusedEvenFromANamespaceItAdmits() {
    assertThat(targetsOnly.refusal(onTarget(), Optional.of(target(true)), SHOP, null)).get()
        .extracting(Verdict::phase, Verdict::reason).containsExactly(Phase.Blocked, Reason.PRODUCTION_TARGET);
  }

  @Test
  void aNamespaceOutsideTheSelectorOrOneThatCannotBeSeenIsRefused() {
    assertThat(targetsOnly.refusal(onTarget(), Optional.of(target(false)), Map.of("team", "billing"), null)).get()
        .extracting(Verdict::reason).isEqualTo(Reason.TARGET_NOT_ALLOWED);
    assertThat(targetsOnly.refusal(onTarget(), Optional.of(target(false)), null, null)).get()
        .extracting(Verdict::reason).isEqualTo(Reason.TARGET_NOT_ALLOWED);
  }

  @Test
  void aTargetChangedOrReplacedAfterThePlanFailsTheRequest() {
    MigrationTarget planned = target(false);
    PlanStatus plan = new PlanStatus();
    plan.target = TargetAdmission.planned(planned, "migration-gate");
    assertThat(targetsOnly.refusal(onTarget(), Optional.of(planned), SHOP, plan)).isEmpty();

    MigrationTarget edited = target(false);
    edited.getMetadata().setGeneration(2L);
    assertThat(targetsOnly.refusal(onTarget(), Optional.of(edited), SHOP, plan)).get()
        .extracting(Verdict::phase, Verdict::reason).containsExactly(Phase.Failed, Reason.TARGET_CHANGED);
    MigrationTarget recreated = target(false);
    recreated.getMetadata().setUid("another-uid");
    assertThat(targetsOnly.refusal(onTarget(), Optional.of(recreated), SHOP, plan)).get()
        .extracting(Verdict::reason).isEqualTo(Reason.TARGET_CHANGED);
  }

  @Test
  void theJobsConnectWithThePlannedCopyOfTheTarget() {
    PlanStatus plan = new PlanStatus();
    plan.target = TargetAdmission.planned(target(false), "migration-gate");
    var database = TargetAdmission.databaseOf(onTarget(), plan);
    assertThat(database.url).isEqualTo(Requests.DB_URL);
    assertThat(database.credentialsSecret).isEqualTo("orders-platform-migrator");
    assertThat(database.usernameKey).isEqualTo("username");
  }

  @Test
  void labelSelectorsMeanWhatTheApiServerMeans() {
    var selector = new LabelSelectorBuilder().withMatchLabels(Map.of("team", "shop"))
        .withMatchExpressions(new LabelSelectorRequirementBuilder().withKey("environment").withOperator("NotIn")
            .withValues("production").build())
        .build();
    assertThat(LabelSelectors.matches(selector, Map.of("team", "shop"))).isTrue();
    assertThat(LabelSelectors.matches(selector, Map.of("team", "shop", "environment", "production"))).isFalse();
    assertThat(LabelSelectors.matches(new LabelSelectorBuilder().build(), Map.of())).as("{} admits all").isTrue();
    assertThat(LabelSelectors.matches(new LabelSelectorBuilder().withMatchExpressions(new LabelSelectorRequirementBuilder()
        .withKey("team").withOperator("Sometimes").build()).build(), SHOP)).as("unknown operator").isFalse();
  }

  private static MigrationRequest onTarget() {
    return Requests.onTarget("shop-staging", "orders", "orders");
  }

  private static MigrationTarget target(boolean production) {
    MigrationTarget target = Requests.target("orders", "shop", production);
    target.getMetadata().setUid("target-uid");
    target.getMetadata().setGeneration(1L);
    return target;
  }
}
