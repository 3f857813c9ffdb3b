package io.migrationgate.localcluster.bench;

import io.migrationgate.localcluster.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of a running JVM as the kernel and the JVM itself see it: the resident set from
 * /proc/&lt;pid&gt;/status, and the heap in use after a full collection through jcmd (which attaches
 * by pid, so it works with the image's -XX:-UsePerfData). Both the operator and the minimal
 * controller are read the same way; the minimal controller has no /metrics to ask.
 */
final class JvmProbe {

  /** One line per heap space in GC.heap_info, whatever the collector: "... total 1234K, used 567K". */
  private static final Pattern SPACE_USED = Pattern.compile("total \\d+K, used (\\d+)K");
  private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");

  private final String jcmd;

  JvmProbe() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      throw new IllegalStateException("jcmd is missing from " + jcmd.getParent() + ": the benchmark reads the heap"
          + " after a full GC with it; run it with a JDK 17 (not a JRE)");
    }
    this.jcmd = jcmd.toString();
  }

  static long rssBytes(long pid) {
    Path status = Path.of("/proc/" + pid + "/status");
    try {
      return residentBytes(Files.readString(status));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + status + " (has the process ended?)", e);
    }
  }

  static long residentBytes(String procStatus) {
    Matcher m = VM_RSS.matcher(procStatus);
    if (!m.find()) {
      throw new IllegalStateException("no VmRSS line in /proc/<pid>/status:\n" + procStatus);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  /** Runs a full GC in the process, then reads how much heap is in use. */
  long heapAfterFullGc(long pid) {
    Processes.run(List.of(jcmd, String.valueOf(pid), "GC.run"), Duration.ofSeconds(60));
    return heapUsedBytes(Processes.run(List.of(jcmd, String.valueOf(pid), "GC.heap_info"), Duration.ofSeconds(30)));
  }

  static long heapUsedBytes(String heapInfo) {
    Matcher m = SPACE_USED.matcher(heapInfo);
    long used = 0;
    boolean found = false;
    while (m.find()) {
      used += Long.parseLong(m.group(1)) * 1024;
      found = true;
    }
    if (!found) {
      throw new IllegalStateException("jcmd GC.heap_info printed no \"total ...K, used ...K\" line:\n" + heapInfo);
    }
    return used;
  }
}
