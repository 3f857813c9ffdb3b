package io.migrationgate.operator;

import io.migrationgate.api.v1alpha1.MigrationRequest;
import io.migrationgate.evidence.ScriptsDigest;

/**
 * Deterministic names of the objects a request owns. The Job's name is what makes a second Job
 * impossible: creating it again fails with AlreadyExists. The uid suffix keeps a request that is
 * deleted and re-created under the same name from adopting the old request's objects.
 */
public final class ResourceNames {

  private static final int BASE_LENGTH = 40;

  private ResourceNames() {}

  public static String job(MigrationRequest request) {
    return base(request) + "-run";
  }

  public static String snapshot(MigrationRequest request) {
    return base(request) + "-plan";
  }

  public static String evidence(MigrationRequest request) {
    return base(request) + "-evidence";
  }

  private static String base(MigrationRequest request) {
    String name = request.getMetadata().getName();
    String trimmed = (name.length() <= BASE_LENGTH ? name : name.substring(0, BASE_LENGTH)).replace('.', '-');
    trimmed = trimmed.replaceAll("[^a-z0-9]+$", "");
    String uid = request.getMetadata().getUid();
    return trimmed + "-" + ScriptsDigest.ofContent(uid == null ? name : uid).substring(0, 6);
  }
}
