package io.migrationgate.operator.lifecycle;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Tokens for launch markers. A token is written to status before its Job is created and is carried
 * in the Job's pod template, so it must be unguessable: 128 random bits.
 */
public final class LaunchTokens {

  private static final SecureRandom RANDOM = new SecureRandom();

  private LaunchTokens() {}

  public static String next() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
