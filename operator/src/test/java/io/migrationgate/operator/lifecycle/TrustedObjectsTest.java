package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

class TrustedObjectsTest {

  private static final Job JOB = new JobBuilder().withNewMetadata().withName("orders-run").withUid("job-uid")
      .endMetadata().build();

  private static Pod pod(String controllerUidLabel, String ownerUid, boolean controller) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName("p").endMetadata();
    if (controllerUidLabel != null) {
      pod.editMetadata().addToLabels(TrustedObjects.JOB_CONTROLLER_UID, controllerUidLabel).endMetadata();
    }
    return pod.editMetadata().addNewOwnerReference().withKind("Job").withName("orders-run").withUid(ownerUid)
        .withController(controller).endOwnerReference().endMetadata().build();
  }

  @Test
  void onlyAPodLabelledAndControlledByTheJobIsItsPod() {
    assertThat(TrustedObjects.isPodOf(pod("job-uid", "job-uid", true), JOB)).isTrue();
    assertThat(TrustedObjects.isPodOf(pod(null, "job-uid", true), JOB)).as("no controller-uid label").isFalse();
    assertThat(TrustedObjects.isPodOf(pod("job-uid", "job-uid", false), JOB)).as("not the controller").isFalse();
    assertThat(TrustedObjects.isPodOf(pod("other", "job-uid", true), JOB)).as("another Job's label").isFalse();
    assertThat(TrustedObjects.isPodOf(pod("job-uid", "other", true), JOB)).as("another owner").isFalse();
  }
}
