package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestedByTest {

  static final String SPEC = """
      workOrder: WO-1
      database: {url: "jdbc:postgresql://db:5432/db", credentialsSecret: db}
      migrations: {configMap: {name: scripts}}
      """;

  @Test
  void whereNothingStampsItTheCreatorDeclaresThemselves() {
    HasMetadata request = Serialization.unmarshal(RequestedBy.DECLARED.request("orders", "r1", "rita", SPEC));
    assertThat(request.getMetadata().getAnnotations()).containsExactlyEntriesOf(
        Map.of("migrationgate.io/requested-by", "rita"));
    assertThat(request.getMetadata().getName()).isEqualTo("r1");
    assertThat(request.getMetadata().getNamespace()).isEqualTo("orders");
  }

  @Test
  void whereTheApiServerStampsItTheRequestIsAsWritten() {
    assertThat(RequestedBy.STAMPED.request("orders", "r1", "rita", SPEC)).isEqualTo(Yaml.request("orders", "r1", SPEC));
    HasMetadata request = Serialization.unmarshal(RequestedBy.STAMPED.request("orders", "r1", "rita", SPEC));
    assertThat(request.getMetadata().getAnnotations()).isNullOrEmpty();
  }
}
