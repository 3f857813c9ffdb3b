package io.migrationgate.contract;

import java.util.regex.Pattern;

/**
 * Where the runner's user name and password come from, by name only: the Secret and its two keys.
 * The values reach the runner in {@link RunnerCommand#USERNAME_ENV} and
 * {@link RunnerCommand#PASSWORD_ENV}; these names are what a refused login points at, so a person
 * knows which key to fix without the message ever holding a value. On the command line:
 * {@code --credentials-secret=SECRET:USERNAME_KEY:PASSWORD_KEY}.
 */
public record CredentialsSource(String secret, String usernameKey, String passwordKey) {

  /** A Secret's name (a DNS subdomain) and a Secret's key ([-._a-zA-Z0-9]+) both fit, and hold no ':'. */
  private static final Pattern NAME = Pattern.compile("[-._a-zA-Z0-9]{1,253}");

  public CredentialsSource {
    for (String name : new String[] {secret, usernameKey, passwordKey}) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("a Secret's name and keys are letters, digits, '-', '.' and '_'");
      }
    }
  }

  public static CredentialsSource parse(String text) {
    String[] parts = text.split(":", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("must look like SECRET:USERNAME_KEY:PASSWORD_KEY");
    }
    return new CredentialsSource(parts[0], parts[1], parts[2]);
  }

  @Override
  public String toString() {
    return secret + ":" + usernameKey + ":" + passwordKey;
  }
}
