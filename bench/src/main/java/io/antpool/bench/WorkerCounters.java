package io.antpool.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The worker JVMs' own performance counters (PerfData, read with {@code jcmd PID PerfCounter.print}) over one
 * window of a measurement: what the JVM spent loading, defining, verifying and linking classes, compiling and at
 * safepoints, and how many classes it loaded and unloaded. They see what a sampling profiler cannot: time inside
 * the JVM itself, outside any Java frame. The times are elapsed times, measured by the JVM around each
 * operation, so on a machine with more runnable threads than cores they include waiting for a core.
 */
final class WorkerCounters {
  /** A counter reported per task: label, PerfData name, whether it counts clock ticks (else events). */
  private record Counter(String label, String name, boolean ticks) {
  }

  private static final List<Counter> COUNTERS = List.of(
      new Counter("class loading, all", "sun.cls.time", true),
      new Counter("  defining (parse, create)", "sun.cls.defineAppClassTime.self", true),
      new Counter("  verifying", "sun.cls.classVerifyTime.self", true),
      new Counter("  linking", "sun.cls.classLinkedTime.self", true),
      new Counter("  parent delegation", "sun.classloader.parentDelegationTime", true),
      new Counter("JIT compilations (elapsed, all compiler threads)", "java.ci.totalTime", true),
      new Counter("safepoints (GC pauses included)", "sun.rt.safepointTime", true),
      new Counter("classes loaded", "java.cls.loadedClasses", false),
      new Counter("classes unloaded", "java.cls.unloadedClasses", false));
  private static final String TICKS_PER_SECOND = "sun.os.hrt.frequency";

  private final List<ChildJvm> workers;
  private final List<Map<String, Long>> before;

  private WorkerCounters(List<ChildJvm> workers, List<Map<String, Long>> before) {
    this.workers = workers;
    this.before = before;
  }

  /** Reads every worker's counters: the start of the window. */
  static WorkerCounters read(List<ChildJvm> workers) throws IOException, InterruptedException {
    List<Map<String, Long>> values = new ArrayList<>();
    for (ChildJvm worker : workers) {
      values.add(values(worker));
    }
    return new WorkerCounters(workers, values);
  }

  /**
   * Reads the counters again and reports their growth since {@link #read}, summed over the workers and divided
   * by {@code tasks}: one line per counter, each indented by {@code indent}.
   */
  String perTask(long tasks, String indent) throws IOException, InterruptedException {
    Map<String, Double> growth = new HashMap<>();
    for (int i = 0; i < workers.size(); i++) {
      Map<String, Long> then = before.get(i);
      Map<String, Long> now = values(workers.get(i));
      double ticksPerSecond = now.getOrDefault(TICKS_PER_SECOND, 1_000_000_000L);
      for (Counter c : COUNTERS) {
        if (now.containsKey(c.name()) && then.containsKey(c.name())) {
          double delta = now.get(c.name()) - then.get(c.name());
          growth.merge(c.name(), c.ticks() ? delta / ticksPerSecond * 1e6 : delta, Double::sum);
        }
      }
    }
    StringBuilder s = new StringBuilder();
    for (Counter c : COUNTERS) {
      Double v = growth.get(c.name());
      if (v != null) {
        s.append(String.format(Locale.ROOT, "%s%-50s %9.1f%s%n", indent, c.label(), v / Math.max(1, tasks),
            c.ticks() ? " us" : ""));
      }
    }
    return s.length() == 0 ? indent + "(this JVM publishes none of the counters)\n" : s.toString();
  }

  /** The JVM's counters with a whole-number value, by name. */
  private static Map<String, Long> values(ChildJvm jvm) throws IOException, InterruptedException {
    Map<String, Long> values = new HashMap<>();
    for (String line : jvm.jcmd("PerfCounter.print").split("\\R")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        try {
          values.put(line.substring(0, eq).trim(), Long.parseLong(line.substring(eq + 1).trim()));
        } catch (NumberFormatException notANumber) {
          // a string counter (a flag, a path): not needed
        }
      }
    }
    return values;
  }
}
