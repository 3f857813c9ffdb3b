package io.migrationgate.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The people of the local cluster ({@link LocalUser}) as the API server knows them: a random bearer
 * token each in the file given to {@code --token-auth-file}, and a kubeconfig each that signs in with
 * that token and checks the API server's certificate.
 */
final class StaticTokenUsers {

  private final Map<LocalUser, String> tokens;
  private final Path tokenFile;

  private StaticTokenUsers(Map<LocalUser, String> tokens, Path tokenFile) {
    this.tokens = tokens;
    this.tokenFile = tokenFile;
  }

  /** New tokens for every user, written to {@code tokens.csv} under {@code workDir}. */
  static StaticTokenUsers create(Path workDir) throws IOException {
    Map<LocalUser, String> tokens = new EnumMap<>(LocalUser.class);
    StringBuilder csv = new StringBuilder();
    for (LocalUser user : LocalUser.values()) {
      String token = Processes.randomToken();
      tokens.put(user, token);
      csv.append(token).append(',').append(user.userName()).append(',').append(user.userName()).append("-uid");
      if (!user.groups().isEmpty()) {
        csv.append(",\"").append(String.join(",", user.groups())).append('"');
      }
      csv.append('\n');
    }
    Path tokenFile = workDir.resolve("tokens.csv");
    Files.writeString(tokenFile, csv);
    return new StaticTokenUsers(tokens, tokenFile);
  }

  /** The file for kube-apiserver's {@code --token-auth-file}. */
  Path tokenFile() {
    return tokenFile;
  }

  /** One kubeconfig per user under {@code workDir/kubeconfigs}, for the API server at {@code server}. */
  Map<LocalUser, Path> writeKubeconfigs(Path workDir, String server, String caData) throws IOException {
    Map<LocalUser, Path> kubeconfigs = new EnumMap<>(LocalUser.class);
    Path kubeconfigDir = Files.createDirectories(workDir.resolve("kubeconfigs"));
    for (LocalUser user : LocalUser.values()) {
      Path file = kubeconfigDir.resolve(user.kubeconfigName());
      Files.writeString(file, kubeconfig(server, caData, user.userName(), tokens.get(user)));
      kubeconfigs.put(user, file);
    }
    return kubeconfigs;
  }

  static String kubeconfig(String server, String caData, String user, String token) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: %s@local
          context: {cluster: local, user: %s}
        current-context: %s@local
        """.formatted(server, caData, user, token, user, user, user);
  }
}
