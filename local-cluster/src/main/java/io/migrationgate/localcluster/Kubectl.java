package io.migrationgate.localcluster;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The real kubectl, run as one of the local users (their kubeconfig), the way a person types it. */
public final class Kubectl {

  /** What one kubectl command printed and returned. */
  public record Result(List<String> command, int exitCode, String out, String err) {
    public boolean ok() {
      return exitCode == 0;
    }

    @Override
    public String toString() {
      return String.join(" ", command) + " -> exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  private final Path kubectl;
  private final Path kubeconfig;

  public Kubectl(Path kubectl, Path kubeconfig) {
    this.kubectl = kubectl;
    this.kubeconfig = kubeconfig;
  }

  public Result run(String... args) {
    return runWithInput(null, args);
  }

  /** Runs kubectl with {@code stdin} piped in (for {@code apply -f -}). */
  public Result runWithInput(String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    List<String> shown = new ArrayList<>(List.of("kubectl"));
    shown.addAll(List.of(args));
    return execute(new ProcessBuilder(command), shown, stdin);
  }

  /** Runs the kubectl plugin {@code kubectl-<plugin>} found in {@code pluginDir} (see {@link #pluginProcess}). */
  public Result runPlugin(Path pluginDir, String stdin, String plugin, String... args) {
    return execute(pluginProcess(pluginDir, plugin, args), shown(plugin, args), stdin);
  }

  /**
   * Runs the plugin as {@link #runPlugin} does, and answers its question the way a person does who
   * reads what it showed first: only once {@code question} is on its stderr and {@code meanwhile}
   * has run (what someone else did in the time it took to read).
   */
  public Result runPluginAnswering(Path pluginDir, String question, Runnable meanwhile, String answer, String plugin,
      String... args) {
    try {
      Process process = pluginProcess(pluginDir, plugin, args).start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
      StringBuffer err = new StringBuffer();
      CompletableFuture<Void> errRead = CompletableFuture.runAsync(() -> copy(process.getErrorStream(), err));
      long giveUpAt = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (err.indexOf(question) < 0 && process.isAlive() && System.nanoTime() < giveUpAt) {
        Thread.sleep(100);
      }
      boolean asked = err.indexOf(question) >= 0;
      if (asked) {
        meanwhile.run();
      }
      try (OutputStream in = process.getOutputStream()) {
        if (asked) {
          in.write(answer.getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException exited) {
        // it did not wait for the answer: its exit code and output say why
      }
      if (!process.waitFor(Duration.ofMinutes(3).toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
      int exitCode = process.waitFor();
      errRead.join();
      return new Result(shown(plugin, args), exitCode, out.join(), err.toString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kubectl " + plugin + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * The plugin {@code kubectl-<plugin>} found in {@code pluginDir}, run as a person who copied it
   * onto their PATH would: through kubectl, which finds it there. kubectl refuses flags before a
   * plugin's name, so this user's kubeconfig is passed after it, to the plugin.
   */
  private ProcessBuilder pluginProcess(Path pluginDir, String plugin, String... args) {
    List<String> command = new ArrayList<>(List.of(kubectl.toString(), plugin));
    command.addAll(List.of(args));
    command.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("PATH", pluginDir + File.pathSeparator + kubectl.getParent()
        + File.pathSeparator + builder.environment().getOrDefault("PATH", ""));
    return builder;
  }

  private static List<String> shown(String plugin, String... args) {
    List<String> shown = new ArrayList<>(List.of("kubectl", plugin));
    shown.addAll(List.of(args));
    return shown;
  }

  private static Result execute(ProcessBuilder builder, List<String> shown, String stdin) {
    try {
      Process process = builder.start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      try (OutputStream in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(Duration.ofMinutes(3).toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
      return new Result(shown, process.waitFor(), out.join(), err.join());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + builder.command().get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void copy(java.io.InputStream in, StringBuffer into) {
    try (java.io.Reader reader = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
      char[] chunk = new char[4096];
      for (int n; (n = reader.read(chunk)) >= 0; ) {
        into.append(chunk, 0, n);
      }
    } catch (IOException e) {
      // the process is gone; what was read stays
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
