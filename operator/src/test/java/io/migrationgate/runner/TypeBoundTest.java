package io.migrationgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.runner.TypeBound.Kind;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class TypeBoundTest {

  @Test
  void characterTypesBoundTheLength() {
    assertThat(TypeBound.of("varchar(20)")).isEqualTo(new TypeBound(Kind.LENGTH, 20, null, null));
    assertThat(TypeBound.of("character varying(20)").length()).isEqualTo(20);
    assertThat(TypeBound.of("CHAR (3)").length()).isEqualTo(3);
    assertThat(TypeBound.of("varchar(20)").condition("\"note\"")).isEqualTo("char_length(rtrim(\"note\")) > ?");
  }

  @Test
  void integersBoundTheRangeSignedOrNot() {
    assertThat(TypeBound.of("smallint")).isEqualTo(new TypeBound(Kind.RANGE, 0, BigDecimal.valueOf(-32_768),
        BigDecimal.valueOf(32_767)));
    assertThat(TypeBound.of("int unsigned")).isEqualTo(new TypeBound(Kind.RANGE, 0, BigDecimal.ZERO,
        BigDecimal.valueOf(4_294_967_295L)));
    assertThat(TypeBound.of("tinyint").min()).isEqualTo(BigDecimal.valueOf(-128));
  }

  @Test
  void aPrecisionBoundsWhatRoundsBelowItsLimit() {
    assertThat(TypeBound.of("numeric(5, 2)").max()).isEqualByComparingTo("999.995");
    assertThat(TypeBound.of("decimal(3)").max()).isEqualByComparingTo("999.5");
  }

  @Test
  void otherTypesAndColumnsOfAnotherKindAreNotCounted() {
    assertThat(TypeBound.of("real")).isNull();
    assertThat(TypeBound.of("enum('a','b')")).isNull();
    assertThat(TypeBound.of("varchar(20)").checks("character varying")).isTrue();
    assertThat(TypeBound.of("varchar(20)").checks("integer")).isFalse();
    assertThat(TypeBound.of("smallint").checks("text")).isFalse();
    assertThat(TypeBound.of("smallint").checks("bigint")).isTrue();
  }
}
