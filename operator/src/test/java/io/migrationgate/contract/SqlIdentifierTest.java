package io.migrationgate.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlIdentifierTest {

  @Test
  void aQuotedNameDoublesTheQuoteCharacterOfItsDatabase() {
    assertThat(SqlIdentifier.quoted("orders", true)).isEqualTo("\"orders\"");
    assertThat(SqlIdentifier.quoted("Odd\"`Name", true)).isEqualTo("\"Odd\"\"`Name\"");
    assertThat(SqlIdentifier.quoted("Odd\"`Name", false)).isEqualTo("`Odd\"``Name`");
    assertThat(SqlIdentifier.quoted("x\"; drop table t; --", true)).isEqualTo("\"x\"\"; drop table t; --\"");
  }

  @Test
  void aNameThatCannotBeQuotedIsRefused() {
    assertThatThrownBy(() -> SqlIdentifier.quoted("a\0b", true)).hasMessage("not a name that can be quoted: 'a\\0b'");
    assertThatThrownBy(() -> SqlIdentifier.quoted("", false)).isInstanceOf(IllegalArgumentException.class);
  }
}
