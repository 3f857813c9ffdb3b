package io.migrationgate.localcluster.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogTest {

  @Test
  void fallbackMessageIsTheLastEightyLinesAtMost2048Bytes(@TempDir Path dir) throws Exception {
    ContainerLog log = new ContainerLog(dir.resolve("c.log"));
    for (int i = 1; i <= 100; i++) {
      log.append(i % 2 == 0 ? "stdout" : "stderr", "line " + i);
    }
    assertThat(log.fallbackMessage()).startsWith("line 21\n").endsWith("line 100\n");
    assertThat(log.lines()).hasSize(100).first().satisfies(l -> assertThat(l.stream()).isEqualTo("stderr"));

    ContainerLog wide = new ContainerLog(dir.resolve("wide.log"));
    for (int i = 0; i < 50; i++) {
      wide.append("stdout", "x".repeat(99) + i);
    }
    String message = wide.fallbackMessage();
    assertThat(message.getBytes(StandardCharsets.UTF_8)).hasSize(2048);
    assertThat(message).endsWith("x49\n");
  }
}
