package io.migrationgate.runner;

import io.migrationgate.runner.RunnerInvocation.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of both runner programs on a real server start from: a server, scripts on disk,
 * an invocation. Tagged so that {@code -DexcludedGroups=database} skips every test that needs one.
 */
@Tag("database")
abstract class OnRealDatabase {

  @TempDir Path temp;

  abstract TestDatabase database();

  Path scripts(Map<String, String> scripts) throws IOException {
    return ScriptFiles.plain(Files.createTempDirectory(temp, "scripts"), scripts);
  }

  Result runner(Map<String, String> env, String... args) throws IOException {
    return RunnerInvocation.run(Files.createTempFile(temp, "termination-log", ""), env, args);
  }

  Result runner(String... args) throws IOException {
    return runner(database().migratorCredentials(), args);
  }

  Result plan(Map<String, String> env, String... args) throws IOException {
    return RunnerInvocation.plan(Files.createTempFile(temp, "termination-log", ""), env, args);
  }

  Result plan(String... args) throws IOException {
    return plan(database().migratorCredentials(), args);
  }
}
