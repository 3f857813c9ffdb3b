package io.migrationgate.runner;

import io.migrationgate.contract.RunReport.RiskFinding;
import java.util.Locale;

/**
 * What the live data said to one question of the review, as the words added to its finding:
 * {@code will fail: 312 duplicate values of (email) in users}, {@code checked: no row of orders has
 * status NULL}, {@code orders holds ~41 M rows, 9.0 GiB}. Only counts and sizes are said, never a
 * value: the finding reaches status, Events and evidence, which the requester reads.
 */
record DataAnswer(Verdict verdict, String text) {

  enum Verdict {
    /** The data allows the statement. */
    PASSES("passed"),
    /** The statement will fail on the data as it is. */
    FAILS("will fail"),
    /** The server will change values to fit (MySQL and MariaDB outside strict mode). */
    CHANGES_DATA("will change data"),
    /** Not asked, not answered in time, or the rows may change before the statement runs. */
    UNDECIDED("not decided"),
    /** A size from the catalog: it decides nothing, the approver weighs it. */
    SIZE("sizes");

    private final String words;

    Verdict(String words) {
      this.words = words;
    }

    /** For the progress line: "1 passed, 3 will fail, 4 sizes". */
    String words() {
      return words;
    }

    boolean stopsTheRun() {
      return this == FAILS || this == CHANGES_DATA;
    }
  }

  /** {@code fact} ("312 duplicate values of (email) in users") is what the data shows when it is not empty. */
  static DataAnswer decided(long count, String fact, String passed, String changedBefore, boolean cutsInstead,
      String cut) {
    if (changedBefore != null) {
      return new DataAnswer(Verdict.UNDECIDED, "not decided: " + (count == 0 ? passed : fact) + " now, but "
          + changedBefore + " changes those rows first");
    }
    if (count == 0) {
      return new DataAnswer(Verdict.PASSES, "checked: " + passed);
    }
    return cutsInstead ? new DataAnswer(Verdict.CHANGES_DATA, "will change data: " + fact + ", " + cut
        + " (sql_mode is not strict)") : new DataAnswer(Verdict.FAILS, RiskFinding.WILL_FAIL + fact);
  }

  static DataAnswer notChecked(String why) {
    return new DataAnswer(Verdict.UNDECIDED, "not checked: " + why);
  }

  static DataAnswer timedOut(long seconds) {
    return new DataAnswer(Verdict.UNDECIDED, "not decided within " + seconds + " s: review by hand");
  }

  static DataAnswer created(String name) {
    return notChecked(name + " does not exist yet (created by this migration)");
  }

  /** "orders holds ~41 M rows, 9.0 GiB"; a table the catalog never counted has no row estimate. */
  static DataAnswer size(String table, Long rows, Long bytes) {
    String size = bytes == null ? "" : bytes(bytes);
    String text = rows == null || rows < 0
        ? table + " holds " + (size.isEmpty() ? "rows" : size) + " (no row estimate yet: never analysed)"
        : table + " holds ~" + rows(rows) + " rows" + (size.isEmpty() ? "" : ", " + size);
    return new DataAnswer(Verdict.SIZE, text);
  }

  /** 312, 41 k, 4.1 M, 41 M, 1.2 G: three significant digits at most, as a catalog estimate deserves. */
  static String rows(long rows) {
    if (rows < 10_000) {
      return Long.toString(rows);
    }
    String[] units = {"k", "M", "G", "T"};
    double value = rows;
    int unit = -1;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return (value < 10 ? String.format(Locale.ROOT, "%.1f", value) : Long.toString(Math.round(value))) + " " + units[unit];
  }

  /** 512 B, 8.0 KiB, 9.0 GiB. */
  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  /** "1 duplicate value", "312 duplicate values". */
  static String count(long count, String one, String many) {
    return count + " " + (count == 1 ? one : many);
  }
}
