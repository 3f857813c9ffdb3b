package io.migrationgate.contract;

import io.migrationgate.contract.RunReport.AppliedMigration;
import io.migrationgate.contract.RunReport.Finding;
import io.migrationgate.contract.RunReport.HistoryEntry;
import io.migrationgate.contract.RunReport.Lists;
import io.migrationgate.contract.RunReport.PendingMigration;
import io.migrationgate.contract.RunReport.RiskFinding;
import io.migrationgate.contract.RunReport.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Fits a report into a byte budget, the 4 KiB of a termination message, shrinking it step by step
 * until its UTF-8 encoding fits: long list entries are shortened first, then the lists keep fewer
 * entries (always the first and the last ones), then the message is shortened, and only then are
 * the lists dropped altogether. A shortened report says so with {@code truncated=true} and keeps
 * the real totals. A plan report's fields that are not lists (program, planned state, whether the
 * history table exists, the risk level and digest) are never shortened: the operator acts on them.
 */
final class ReportCompactor {

  // Entries longer than this carry SQL text or driver noise; their head is what a person reads.
  private static final int COMPACT_ENTRY_TEXT_CHARS = 200;
  private static final int COMPACT_MESSAGE_BYTES = 1024;
  private static final int MINIMAL_MESSAGE_BYTES = 160;
  private static final String ELLIPSIS = "...";

  private ReportCompactor() {}

  static String fit(RunReport full, int maxBytes) {
    String json = full.toJson();
    if (utf8Length(json) <= maxBytes) {
      return json;
    }
    Lists lists = shortenedEntries(full.lists());
    json = full.truncatedTo(full.message(), lists).toJson();
    if (utf8Length(json) <= maxBytes) {
      return json;
    }
    String fitted = fitLists(full, full.message(), lists, maxBytes);
    if (fitted != null) {
      return fitted;
    }
    fitted = fitLists(full, shortenToBytes(full.message(), COMPACT_MESSAGE_BYTES), lists, maxBytes);
    if (fitted != null) {
      return fitted;
    }
    json = full.truncatedTo(shortenToBytes(full.message(), MINIMAL_MESSAGE_BYTES), firstAndLast(lists, 0)).toJson();
    if (utf8Length(json) <= maxBytes) {
      return json;
    }
    throw new IllegalArgumentException(
        "a run report needs more than " + maxBytes + " bytes even without its lists");
  }

  /**
   * Keeps as many entries as fit, preferring the first ones and always the last one, which is
   * where a failure shows up; returns null when even first-and-last does not fit.
   */
  private static String fitLists(RunReport full, String message, Lists lists, int maxBytes) {
    int longest = Math.max(Math.max(lists.applied().size(), lists.verification().size()),
        Math.max(Math.max(size(lists.history()), size(lists.pending())),
            Math.max(size(lists.findings()), size(lists.riskFindings()))));
    int low = Math.min(2, longest);
    int high = longest;
    String best = null;
    while (low <= high) {
      int keep = (low + high) >>> 1;
      String json = full.truncatedTo(message, firstAndLast(lists, keep)).toJson();
      if (utf8Length(json) <= maxBytes) {
        best = json;
        low = keep + 1;
      } else {
        high = keep - 1;
      }
    }
    return best;
  }

  private static Lists firstAndLast(Lists lists, int keep) {
    return new Lists(firstAndLast(lists.applied(), keep), firstAndLast(lists.verification(), keep),
        firstAndLast(lists.history(), keep), firstAndLast(lists.pending(), keep), firstAndLast(lists.findings(), keep),
        firstAndLast(lists.riskFindings(), keep));
  }

  private static Lists shortenedEntries(Lists lists) {
    return new Lists(mapAll(lists.applied(), ReportCompactor::shortened),
        mapAll(lists.verification(), ReportCompactor::shortened),
        mapAll(lists.history(), ReportCompactor::shortened),
        mapAll(lists.pending(), ReportCompactor::shortened),
        mapAll(lists.findings(), ReportCompactor::shortened),
        mapAll(lists.riskFindings(), ReportCompactor::shortened));
  }

  private static int size(List<?> list) {
    return list == null ? 0 : list.size();
  }

  /** A null list (a plan list in a run report) stays null. */
  static <T> List<T> firstAndLast(List<T> list, int keep) {
    if (list == null || list.size() <= keep) {
      return list;
    }
    if (keep <= 1) {
      return keep == 1 ? List.of(list.get(list.size() - 1)) : List.of();
    }
    List<T> kept = new ArrayList<>(list.subList(0, keep - 1));
    kept.add(list.get(list.size() - 1));
    return kept;
  }

  private static AppliedMigration shortened(AppliedMigration applied) {
    return new AppliedMigration(applied.version(), shorten(applied.description(), COMPACT_ENTRY_TEXT_CHARS),
        applied.script(), applied.executionTimeMs());
  }

  private static VerificationResult shortened(VerificationResult result) {
    return new VerificationResult(
        shorten(result.name(), COMPACT_ENTRY_TEXT_CHARS),
        result.passed(),
        shorten(result.actual(), COMPACT_ENTRY_TEXT_CHARS),
        shorten(result.expected(), COMPACT_ENTRY_TEXT_CHARS),
        shorten(result.error(), COMPACT_ENTRY_TEXT_CHARS));
  }

  private static HistoryEntry shortened(HistoryEntry entry) {
    return new HistoryEntry(entry.version(), shorten(entry.description(), COMPACT_ENTRY_TEXT_CHARS), entry.script(),
        entry.checksum(), entry.success());
  }

  private static PendingMigration shortened(PendingMigration pending) {
    return new PendingMigration(pending.version(), shorten(pending.description(), COMPACT_ENTRY_TEXT_CHARS),
        pending.script(), pending.checksum());
  }

  private static Finding shortened(Finding finding) {
    return new Finding(finding.kind(), finding.version(), finding.script(),
        shorten(finding.message(), COMPACT_ENTRY_TEXT_CHARS));
  }

  /** A finding's message loses its middle: the plan's data checks write what the rows say at its end. */
  private static RiskFinding shortened(RiskFinding finding) {
    return new RiskFinding(finding.rule(), finding.severity(), finding.script(), finding.line(),
        shortenMiddle(finding.message(), COMPACT_ENTRY_TEXT_CHARS),
        shorten(finding.saferAlternative(), COMPACT_ENTRY_TEXT_CHARS),
        shorten(finding.suppressed(), COMPACT_ENTRY_TEXT_CHARS));
  }

  private static <T> List<T> mapAll(List<T> list, UnaryOperator<T> f) {
    return list == null ? null : list.stream().map(f).toList();
  }

  static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  static String shorten(String s, int maxChars) {
    if (s == null || s.length() <= maxChars) {
      return s;
    }
    int end = maxChars - ELLIPSIS.length();
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + ELLIPSIS;
  }

  /** The head and the last half of {@code s}, with "..." between, in {@code maxChars} at most. */
  static String shortenMiddle(String s, int maxChars) {
    if (s == null || s.length() <= maxChars) {
      return s;
    }
    int tail = s.length() - maxChars / 2;
    if (Character.isLowSurrogate(s.charAt(tail))) {
      tail++;
    }
    int head = maxChars - ELLIPSIS.length() - (s.length() - tail);
    if (Character.isHighSurrogate(s.charAt(head - 1))) {
      head--;
    }
    return s.substring(0, head) + ELLIPSIS + s.substring(tail);
  }

  static String shortenToBytes(String s, int maxBytes) {
    if (s == null || utf8Length(s) <= maxBytes) {
      return s;
    }
    // JSON escaping can grow a string, so aim a little under the budget by characters first.
    String shortened = shorten(s, Math.max(ELLIPSIS.length() + 1, maxBytes));
    while (utf8Length(shortened) > maxBytes && shortened.length() > ELLIPSIS.length() + 1) {
      shortened = shorten(shortened, shortened.length() - Math.max(1, shortened.length() / 10));
    }
    return shortened;
  }
}
