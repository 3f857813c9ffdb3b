package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.contract.ScriptsDigest;

/**
 * Names of the objects a request owns. The Job's name is deterministic: that is what makes a second
 * Job impossible, creating it again fails with AlreadyExists. Snapshots and evidence get a random
 * suffix from the API server (generateName), so nobody can create one in advance under the name the
 * operator is about to use; status records the name and uid the operator got. The uid suffix keeps
 * a request that is deleted and re-created under the same name apart from the old request's objects.
 */
public final class ResourceNames {

  private static final int BASE_LENGTH = 40;

  private ResourceNames() {}

  public static String job(MigrationRequest request) {
    return base(request) + "-run";
  }

  /**
   * One plan Job per attempt at a plan: a fresh plan (replan) gets the next number, a retry after a
   * transient failure the next attempt; never a second Job for the same attempt.
   */
  public static String planJob(MigrationRequest request, int plan, int attempt) {
    return base(request) + "-check-" + plan + (attempt > 1 ? "-" + attempt : "");
  }

  public static String snapshotPrefix(MigrationRequest request) {
    return base(request) + "-plan-";
  }

  public static String evidencePrefix(MigrationRequest request) {
    return base(request) + "-evidence-";
  }

  private static String base(MigrationRequest request) {
    String name = request.getMetadata().getName();
    String trimmed = (name.length() <= BASE_LENGTH ? name : name.substring(0, BASE_LENGTH)).replace('.', '-');
    trimmed = trimmed.replaceAll("[^a-z0-9]+$", "");
    String uid = request.getMetadata().getUid();
    return trimmed + "-" + ScriptsDigest.ofContent(uid == null ? name : uid).substring(0, 6);
  }
}
