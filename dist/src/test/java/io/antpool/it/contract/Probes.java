package io.antpool.it.contract;

import io.antpool.SerializableCallable;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tasks that say where they ran. */
public final class Probes {
  private Probes() {
  }

  /**
   * Creates {@code dir/started-PID} (PID of the JVM it runs in), waits until {@code dir/gate} exists (at most two
   * minutes), and returns the PID.
   */
  public static SerializableCallable<Long> pidAfterGate(String dir) {
    return () -> {
      long pid = ProcessHandle.current().pid();
      Files.writeString(Path.of(dir, "started-" + pid), ManagementFactory.getRuntimeMXBean().getName());
      FileEvents.await(Path.of(dir, "gate"), 120_000);
      return pid;
    };
  }

  /** Computes for about {@code millis} without a pause (no sleep, no I/O), then returns the PID of its JVM. */
  public static SerializableCallable<Long> busyFor(long millis) {
    return () -> {
      long end = System.nanoTime() + millis * 1_000_000L;
      long x = 1;
      while (System.nanoTime() < end) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
      return x == 42 ? -1 : ProcessHandle.current().pid();
    };
  }
}
