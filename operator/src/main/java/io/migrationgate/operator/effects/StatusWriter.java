package io.migrationgate.operator.effects;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.migrationgate.api.v1alpha1.JobStatus;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import java.util.Objects;

/**
 * Every status write goes through here. It replaces the status subresource with optimistic
 * locking (a request changed meanwhile fails the write and the whole reconcile runs again with
 * fresh data, rather than writing a decision made on stale annotations), writes nothing when
 * nothing changed, and puts the result in the operator's cache so the next reconcile sees it
 * (the launch marker depends on that). Server-side apply is not used: see docs/operations.md.
 */
public final class StatusWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusWriter() {}

  public static MigrationRequest write(
      MigrationRequest request, MigrationRequestStatus status, Context<MigrationRequest> context) {
    if (same(request.getStatus(), status)) {
      return request;
    }
    return PrimaryUpdateAndCacheUtils.updateAndCacheResource(
        request,
        context,
        r -> {
          MigrationRequest copy = JSON.convertValue(r, MigrationRequest.class);
          copy.setStatus(status);
          return copy;
        },
        r -> context.getClient().resource(r).updateStatus(),
        0,
        PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_TIMEOUT_MILLIS,
        PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_POLL_PERIOD_MILLIS);
  }

  /**
   * Records the uid of a Job the moment it exists. A merge patch of status.job alone, without
   * optimistic locking, so that an annotation written meanwhile cannot make it fail: a launch
   * marker without a uid would mean "the Job was never created" if the Job then vanished.
   */
  public static MigrationRequest recordJob(MigrationRequest request, Job job, Context<MigrationRequest> context) {
    JobStatus recorded = JSON.convertValue(request.getStatus().job, JobStatus.class);
    recorded.uid = job.getMetadata().getUid();
    recorded.createdAt = job.getMetadata().getCreationTimestamp();
    ObjectNode patch = JSON.createObjectNode();
    patch.putObject("status").set("job", JSON.valueToTree(recorded));
    MigrationRequest updated = context.getClient().resource(request).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    context.eventSourceRetriever().getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(request), updated, request);
    return updated;
  }

  public static boolean same(MigrationRequestStatus a, MigrationRequestStatus b) {
    return Objects.equals(JSON.valueToTree(a), JSON.valueToTree(b));
  }
}
