package io.migrationgate.operator.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.api.v1alpha1.Annotations;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import io.migrationgate.api.v1alpha1.Phase;
import io.migrationgate.operator.Requests;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which updates of a request wake the operator: an approval does, its own status write does not. */
class RelevantChangeTest {

  private final RelevantChange filter = new RelevantChange();

  private static MigrationRequest request() {
    MigrationRequest r = Requests.request("staging", "orders");
    r.getMetadata().setGeneration(1L);
    r.getMetadata().setResourceVersion("1");
    return r;
  }

  private static MigrationRequest copy(MigrationRequest r) {
    MigrationRequest c = request();
    c.getMetadata().getAnnotations().clear();
    c.getMetadata().getAnnotations().putAll(r.getMetadata().getAnnotations());
    c.getMetadata().setResourceVersion("2");
    return c;
  }

  @Test
  void anApprovalOrRejectionAnnotationWakesItThoughTheGenerationStays() {
    MigrationRequest before = request();
    MigrationRequest approved = copy(before);
    approved.getMetadata().getAnnotations().put(Annotations.APPROVED_BY, "adam");
    assertThat(filter.accept(approved, before)).isTrue();

    MigrationRequest rejected = copy(approved);
    rejected.getMetadata().getAnnotations().put(Annotations.REJECTED_BY, "adam");
    assertThat(filter.accept(rejected, approved)).isTrue();
  }

  @Test
  void eachApproverSApprovalAnnotationWakesIt() {
    MigrationRequest before = request();
    MigrationRequest approved = copy(before);
    approved.getMetadata().getAnnotations().put(Annotations.APPROVAL_PREFIX + "alice", "sha256:aa alice");
    assertThat(filter.accept(approved, before)).isTrue();

    MigrationRequest grouped = copy(approved);
    grouped.getMetadata().getAnnotations().put(Annotations.APPROVAL_GROUP_PREFIX + "alice", "dba");
    assertThat(filter.accept(grouped, approved)).isTrue();
  }

  @Test
  void aSpecChangeAFinalizerOrADeletionWakesIt() {
    MigrationRequest before = request();
    MigrationRequest edited = copy(before);
    edited.getMetadata().setGeneration(2L);
    assertThat(filter.accept(edited, before)).as("spec").isTrue();

    MigrationRequest finalized = copy(before);
    finalized.getMetadata().setFinalizers(List.of("migrationrequests.migrationgate.io/finalizer"));
    assertThat(filter.accept(finalized, before)).as("finalizer").isTrue();

    MigrationRequest deleted = copy(before);
    deleted.getMetadata().setDeletionTimestamp("2026-12-07T12:00:00Z");
    assertThat(filter.accept(deleted, before)).as("deletion").isTrue();
  }

  @Test
  void itsOwnStatusWriteAndOtherAnnotationsDoNot() {
    MigrationRequest before = request();
    MigrationRequest statusWritten = copy(before);
    statusWritten.setStatus(new MigrationRequestStatus());
    statusWritten.getStatus().phase = Phase.AwaitingApproval;
    assertThat(filter.accept(statusWritten, before)).as("status").isFalse();

    MigrationRequest annotated = copy(before);
    annotated.getMetadata().getAnnotations().put("argocd.argoproj.io/sync-wave", "3");
    assertThat(filter.accept(annotated, before)).as("an annotation of another tool").isFalse();
  }
}
