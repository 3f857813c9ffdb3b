package io.migrationgate.runner;

import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.ScriptsDigest;
import java.util.Optional;

/**
 * The scripts that run are the scripts the approver saw. The check happens before any
 * connection is opened, so a tampered or stale snapshot never reaches the database.
 */
final class ScriptsDigestCheck {

  private ScriptsDigestCheck() {}

  static String digestOf(MountedScripts scripts) {
    return ScriptsDigest.of(scripts.contentByName());
  }

  /** Fails unless the scripts' digest is the approved one; no expectation means nothing to check. */
  static void requireApproved(MountedScripts scripts, String actual, Optional<String> expectedDigest)
      throws RunnerFailure {
    if (expectedDigest.isPresent() && !expectedDigest.get().equals(actual)) {
      throw new RunnerFailure(
          Outcome.DIGEST_MISMATCH,
          "scripts digest mismatch: the "
              + scripts.contentByName().size()
              + " scripts in "
              + scripts.directory()
              + " hash to "
              + actual
              + " but "
              + expectedDigest.get()
              + " was approved; refusing to connect. Re-plan the request so the approver sees"
              + " these scripts");
    }
  }
}
