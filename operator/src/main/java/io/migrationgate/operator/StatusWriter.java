package io.migrationgate.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javaoperatorsdk.operator.api.reconciler.Context;
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

  static boolean same(MigrationRequestStatus a, MigrationRequestStatus b) {
    return Objects.equals(JSON.valueToTree(a), JSON.valueToTree(b));
  }
}
