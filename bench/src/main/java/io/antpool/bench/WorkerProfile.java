package io.antpool.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Java Flight Recorder recording of the worker JVMs over one window of a measurement, and what it says about
 * the task path. The recording is started and stopped with {@code jcmd} (so it covers the window, not the
 * start-up or the warm-up), and read back with {@link RecordingFile}: of the samples taken on the slot threads
 * inside {@code TaskRunner.run} (a task being decoded, run and its value encoded), the share in which each
 * method is on the stack (inclusive) and on top (self).
 *
 * <p>JFR samples threads running Java code: time a thread spends inside the JVM itself (parsing, verifying and
 * linking a class) is not in these stacks; {@link WorkerCounters} measures it.
 */
final class WorkerProfile {
  /**
   * Options for worker JVMs that will be profiled: samples attributed to the exact frame rather than the
   * nearest safepoint, and stacks deep enough to reach {@code TaskRunner.run} under a lambda's deserialization.
   */
  static final List<String> WORKER_JVM_ARGS = List.of("-XX:+UnlockDiagnosticVMOptions",
      "-XX:+DebugNonSafepoints", "-XX:FlightRecorderOptions:stackdepth=512");

  private static final String TASK_FRAME = "io.antpool.worker.impl.TaskRunner.run";

  private final List<ChildJvm> workers;
  private final String name;

  private WorkerProfile(List<ChildJvm> workers, String name) {
    this.workers = workers;
    this.name = name;
  }

  /**
   * Starts a recording named {@code name} on every worker: the JDK's {@code profile} settings with Java methods
   * sampled at the highest rate JFR offers (every millisecond).
   *
   * @throws IllegalStateException with {@code jcmd}'s answer if a worker refused
   */
  static WorkerProfile start(List<ChildJvm> workers, String name) throws IOException, InterruptedException {
    for (ChildJvm worker : workers) {
      worker.jcmd("JFR.start", "name=" + name, "settings=profile", "method-profiling=max");
    }
    return new WorkerProfile(workers, name);
  }

  /** Stops the recordings and writes one file per worker, {@code dir/NAME-worker-N.jfr}. */
  List<Path> stop(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    for (ChildJvm worker : workers) {
      Path file = dir.resolve(name + "-" + worker.label() + ".jfr");
      worker.jcmd("JFR.stop", "name=" + name, "filename=" + file);
      files.add(file);
    }
    return files;
  }

  /**
   * Summarises recordings taken while {@code tasks} tasks ran: samples in the task path and elsewhere, garbage
   * collections, and the {@code top} methods by inclusive and by self share of the task path's samples.
   */
  static String summarize(List<Path> files, long tasks, int top) throws IOException {
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> otherThreads = new TreeMap<>();
    int taskSamples = 0;
    int gcCount = 0;
    Duration gcPauses = Duration.ZERO;
    for (Path file : files) {
      for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
        String type = e.getEventType().getName();
        if (type.equals("jdk.GarbageCollection")) {
          gcCount++;
          gcPauses = gcPauses.plus(e.getDuration("sumOfPauses"));
          continue;
        }
        if (!type.equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
          continue;
        }
        List<RecordedFrame> frames = e.getStackTrace().getFrames();
        int root = -1;
        for (int i = 0; i < frames.size() && root < 0; i++) {
          if (method(frames.get(i)).equals(TASK_FRAME)) {
            root = i;
          }
        }
        if (root < 0) {
          otherThreads.merge(threadGroup(e.getThread("sampledThread")), 1, Integer::sum);
          continue;
        }
        taskSamples++;
        Set<String> onStack = new HashSet<>();
        for (int i = 0; i < root; i++) {
          onStack.add(method(frames.get(i)));
        }
        onStack.forEach(m -> inclusive.merge(m, 1, Integer::sum));
        self.merge(root == 0 ? TASK_FRAME : method(frames.get(0)), 1, Integer::sum);
      }
    }
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "     %,d execution samples in TaskRunner.run (%.3f per task); elsewhere:",
        taskSamples, (double) taskSamples / Math.max(1, tasks)));
    otherThreads.forEach((thread, n) -> s.append(String.format(Locale.ROOT, " %s %,d,", thread, n)));
    s.setLength(s.length() - (otherThreads.isEmpty() ? 0 : 1));
    s.append(otherThreads.isEmpty() ? " none" : "").append('\n');
    s.append(String.format(Locale.ROOT, "     garbage collections: %d, %.1f ms of pauses%n", gcCount,
        gcPauses.toNanos() / 1e6));
    s.append("     on the stack (share of the TaskRunner.run samples in which the method is anywhere above it):\n");
    appendTop(s, inclusive, taskSamples, top);
    s.append("     on top (self time):\n");
    appendTop(s, self, taskSamples, top / 2);
    return s.toString();
  }

  private static void appendTop(StringBuilder s, Map<String, Integer> counts, int total, int top) {
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(top)
        .forEach(c -> s.append(String.format(Locale.ROOT, "       %5.1f%%  %s%n", 100.0 * c.getValue() / total,
            c.getKey())));
  }

  private static String method(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  /** A thread's name without its number: the samples of all event loops (or all slots) add up. */
  private static String threadGroup(RecordedThread thread) {
    String name = thread == null || thread.getJavaName() == null ? "(unnamed)" : thread.getJavaName();
    return name.replaceAll("[-#]?[0-9a-f]{8}-[0-9a-f-]{27}.*$", "").replaceAll("[-#]?\\d+$", "");
  }
}
