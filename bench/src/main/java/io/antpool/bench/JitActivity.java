package io.antpool.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Whether a JVM's JIT compiler is at work now: one of its compiler threads ({@code C1 CompilerThre...},
 * {@code C2 CompilerThre...}) is running or waiting for a core, as Linux reports it in
 * {@code /proc/PID/task/TID/stat}. An idle compiler thread sleeps on its queue. Unlike the CPU time a JVM
 * uses, this does not mistake a compiler starved of cores on a busy machine for one with nothing to do.
 * Where {@code /proc} is missing (not Linux) it answers false, and the CPU figures have to do.
 */
final class JitActivity {
  private JitActivity() {
  }

  static boolean compiling(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (Stream<Path> threads = Files.list(tasks)) {
      return threads.anyMatch(JitActivity::runnableCompiler);
    } catch (IOException | RuntimeException gone) {
      return false;
    }
  }

  private static boolean runnableCompiler(Path thread) {
    String stat;
    try {
      stat = Files.readString(thread.resolve("stat"));
    } catch (IOException gone) {
      return false; // the thread ended
    }
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < 0 || close + 2 >= stat.length()) {
      return false;
    }
    String name = stat.substring(open + 1, close);
    return (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre"))
        && stat.charAt(close + 2) == 'R';
  }
}
