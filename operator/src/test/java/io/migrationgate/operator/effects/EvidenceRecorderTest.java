package io.migrationgate.operator.effects;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EvidenceRecorderTest {

  @Test
  void bytesAreCountedNotCharactersAndCutsKeepWholeCharacters() {
    String text = "é".repeat(10); // 2 bytes each in UTF-8
    assertThat(EvidenceRecorder.bytes(text)).isEqualTo(20);
    assertThat(EvidenceRecorder.tailBytes(text, 7)).isEqualTo("ééé");
    assertThat(EvidenceRecorder.headBytes(text, 7)).isEqualTo("ééé");
    assertThat(EvidenceRecorder.tailBytes("abc", 7)).isEqualTo("abc");
    String log = "€".repeat(200_000); // 3 bytes each: 600,000 bytes in 200,000 characters
    assertThat(EvidenceRecorder.bytes(EvidenceRecorder.tailBytes(log, EvidenceRecorder.MAX_LOG_BYTES)))
        .isLessThanOrEqualTo(EvidenceRecorder.MAX_LOG_BYTES);
  }
}
