package io.migrationgate.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The plugin's printable filter, the one way cluster text reaches the terminal, run by the awk on
 * the PATH on the bytes a requester could write, without a cluster (KubectlPluginIT runs it through
 * the plugin on one). The program is taken from the script itself, so this is the code users run.
 */
class KubectlPluginPrintableTest {

  static final Pattern PROGRAM = Pattern.compile("(?ms)^PRINTABLE_AWK='(.*?)^}'$");

  static String printable(String input) throws IOException, InterruptedException {
    Matcher program = PROGRAM.matcher(Files.readString(KubectlPluginArgumentsTest.SCRIPT));
    assertThat(program.find()).as("PRINTABLE_AWK in %s", KubectlPluginArgumentsTest.SCRIPT).isTrue();
    ProcessBuilder builder = new ProcessBuilder(List.of(KubectlPluginArgumentsTest.findOnPath("awk").toString(),
        program.group(1) + "}"));
    builder.environment().put("LC_ALL", "C");
    Process awk = builder.start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
      try {
        return awk.getInputStream().readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    try (var in = awk.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.UTF_8));
    }
    String err = new String(awk.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(awk.waitFor()).as(err).isZero();
    return new String(out.join(), StandardCharsets.UTF_8);
  }

  @Test
  void controlCharactersAreEscapedAsGoWritesThem() throws Exception {
    assertThat(printable("a\u001b[2Kb\rc\u0007d\u0000e\u007ff\u0008g\n"))
        .isEqualTo("a\\x1b[2Kb\\rc\\ad\\x00e\\x7ff\\bg\n");
  }

  /** Each on a line of its own: a line without anything to escape is copied in one go. */
  @Test
  void c1ControlsAndInvisibleFormatCharactersAreEscaped() throws Exception {
    assertThat(printable("csi\u009b31m\nrlo\u202eevil\nlri\u2066x\nzw\u200by\nbom\ufeffz\nalm\u061c\nls\u2028\n"))
        .isEqualTo("csi\\u009b31m\nrlo\\u202eevil\nlri\\u2066x\nzw\\u200by\nbom\\ufeffz\nalm\\u061c\nls\\u2028\n");
  }

  @Test
  void printableTextPassesAsItIs() throws Exception {
    String text = "Grüße, 5 € — 表 🚀 \\x1b is text\nsecond line\n";
    assertThat(printable(text)).isEqualTo(text);
  }

  @Test
  void aTabBecomesSpacesToTheNextStop() throws Exception {
    assertThat(printable("ab\tc\n")).isEqualTo("ab      c\n");
  }

  /** A "text" value (marker 0x1f): on as many lines as it has, each under its first; escapes kept. */
  @Test
  void aQuotedTextGoesOnIndentedUnderItsField() throws Exception {
    assertThat(printable("  reason:     \u001f\"one\\x1b[1A\\n  database:   fake\\n\\nthree\\t|\\\\ \\\"q\\\"\\n\"\n"))
        .isEqualTo("  reason:     one\\x1b[1A\n                database:   fake\n\n              three   |\\ \"q\"\n");
  }

  /** A "line" value (marker 0x1e) stays on its line: a newline in it cannot start a row of its own. */
  @Test
  void aQuotedLineStaysOnOneLine() throws Exception {
    assertThat(printable("\u001e\"orders\\nfake-row   Succeeded\"   next\n"))
        .isEqualTo("orders\\nfake-row   Succeeded   next\n");
  }

  /** A marker in text that is not a template's (a log line) escapes what is inside the quotes too. */
  @Test
  void aMarkerInRawTextCannotSmuggleAControlCharacter() throws Exception {
    assertThat(printable("log \u001f\"x\u001b[2Ky\\\u001b\" \u001fno quote\n"))
        .isEqualTo("log x\\x1b[2Ky\\\\x1b \\x1fno quote\n");
  }
}
