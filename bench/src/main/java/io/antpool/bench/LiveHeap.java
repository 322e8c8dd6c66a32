package io.antpool.bench;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of a child JVM: what its objects occupy right after a full collection ({@code jcmd PID GC.run},
 * then {@code GC.heap_info}), so garbage waiting for the next collection does not count.
 */
final class LiveHeap {
  /**
   * G1: {@code " garbage-first heap   total 262144K, used 12345K [...]"}; the serial and parallel collectors
   * print one such line per generation, which are added up.
   */
  private static final Pattern USED = Pattern.compile("(?m)^ (?:garbage-first heap|def new generation"
      + "|tenured generation|PSYoungGen|ParOldGen)\\s+total \\d+K, used (\\d+)K");

  private LiveHeap() {
  }

  /** The bytes in use in {@code jvm}'s heap after a full collection. */
  static long bytes(ChildJvm jvm) throws IOException, InterruptedException {
    jvm.jcmd("GC.run");
    String info = jvm.jcmd("GC.heap_info");
    Matcher m = USED.matcher(info);
    long used = 0;
    boolean found = false;
    while (m.find()) {
      used += Long.parseLong(m.group(1)) * 1024;
      found = true;
    }
    if (!found) {
      throw new IllegalStateException("no heap figure in jcmd " + jvm.pid() + " GC.heap_info (a collector this"
          + " benchmark does not know?):\n" + info);
    }
    return used;
  }
}
