package io.migrationgate.localcluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real kstatus library, as Flux runs it: {@code local-cluster/kstatus-check} (Go, pinned
 * sigs.k8s.io/cli-utils) built once per source version into ~/.cache/migration-gate, so a second
 * run starts at once. Fed what {@code kubectl get -o json} printed, it says what kstatus concludes.
 */
final class Kstatus {

  /** kstatus's status (Current, InProgress, Failed, Terminating) and message for one object. */
  record Verdict(String namespace, String name, String status, String message) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SOURCES = List.of("go.mod", "go.sum", "main.go");

  private final Path binary;

  private Kstatus(Path binary) {
    this.binary = binary;
  }

  static Kstatus build(Path repo) {
    Path source = repo.resolve("local-cluster/kstatus-check");
    Path binary = cacheDir().resolve("kstatus-check-" + digest(source)).resolve("kstatus-check");
    if (!Files.isExecutable(binary)) {
      compile(source, binary);
    }
    return new Kstatus(binary);
  }

  List<Verdict> of(String kubectlJson) {
    try {
      Path input = Files.createTempFile("kstatus-input-", ".json");
      try {
        Files.writeString(input, kubectlJson);
        Process process = new ProcessBuilder(binary.toString()).redirectInput(input.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
          throw new IllegalStateException(binary + " failed: " + err);
        }
        return out.lines().map(Kstatus::read).toList();
      } finally {
        Files.deleteIfExists(input);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Verdict read(String line) {
    try {
      return JSON.readValue(line, Verdict.class);
    } catch (IOException e) {
      throw new IllegalStateException("kstatus-check printed something else than a verdict: " + line, e);
    }
  }

  private static Path cacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
    return base.resolve("migration-gate");
  }

  /** A changed go.mod, go.sum or main.go is a different program: it gets its own cache entry. */
  private static String digest(Path source) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String name : SOURCES) {
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update(Files.readAllBytes(source.resolve(name)));
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the kstatus-check sources in " + source + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void compile(Path source, Path binary) {
    try {
      Files.createDirectories(binary.getParent());
      Path staged = Files.createTempDirectory(binary.getParent(), "partial-").resolve("kstatus-check");
      ProcessBuilder go = new ProcessBuilder("go", "build", "-trimpath", "-buildvcs=false", "-o", staged.toString(), ".")
          .directory(source.toFile()).redirectErrorStream(true);
      go.environment().put("CGO_ENABLED", "0");
      Process process;
      try {
        process = go.start();
      } catch (IOException e) {
        throw new IllegalStateException("the kstatus check is built from local-cluster/kstatus-check with Go 1.22+, "
            + "and `go` is not on PATH: install Go (Debian: apt-get install golang-go) and run again", e);
      }
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(Duration.ofMinutes(8).toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("go build of local-cluster/kstatus-check failed:\n" + output);
      }
      // Another build may have finished meanwhile: the same sources make the same program.
      Files.move(staged, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.delete(staged.getParent());
    } catch (IOException e) {
      throw new IllegalStateException("cannot build kstatus-check into " + binary.getParent() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
