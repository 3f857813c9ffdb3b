package io.migrationgate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CRD users install is the one the model generates: the build fails when a copy is stale. */
class CommittedCrdTest {

  private static final String CRD = "migrationrequests.migrationgate.io-v1.yml";

  @ParameterizedTest
  @ValueSource(strings = {"../crds", "../helm/migration-gate/crds"})
  void committedCrdMatchesTheGeneratedOne(String directory) throws IOException {
    String generated = Files.readString(Path.of("target/classes/META-INF/fabric8", CRD));
    Path committed = Path.of(directory, CRD);
    assertThat(committed).as("%s is missing: run ./mvnw -B -Pupdate-crds process-classes", committed).exists();
    assertThat(Files.readString(committed))
        .as("%s is stale: run ./mvnw -B -Pupdate-crds process-classes and commit the result", committed)
        .isEqualTo(generated);
  }
}
