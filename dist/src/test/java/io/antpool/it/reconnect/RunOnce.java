package io.antpool.it.reconnect;

import io.antpool.it.contract.FileEvents;
import io.antpool.SerializableCallable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Tasks that leave a file per run, so a test can tell how often each ran. */
public final class RunOnce {
  private RunOnce() {
  }

  /** How many times the task named {@code name} started, by the files it left in {@code dir}. */
  public static long runs(Path dir, String name) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("ran-" + name + "-")).count();
    }
  }

  /**
   * Leaves {@code dir/ran-NAME-N} and {@code dir/started-NAME}, waits until {@code dir/gate} exists (at most two
   * minutes), and returns {@code value}. Once {@code started-NAME} exists the task needs no more classes from
   * its client (a worker fetches a class when the task first uses it, and such a fetch waits for a client that
   * is away), so a test may then cut the client off and still see the task finish.
   */
  public static SerializableCallable<String> afterGate(String dir, String name, String value) {
    return () -> {
      Path gate = Path.of(dir, "gate");
      FileEvents.await(gate, 1); // loads every class it needs below
      Files.createTempFile(Path.of(dir), "ran-" + name + "-", "");
      Files.writeString(Path.of(dir, "started-" + name), "");
      FileEvents.await(gate, 120_000);
      return value;
    };
  }

  /**
   * Leaves {@code dir/ran-NAME-N}. Its first run leaves {@code dir/started-NAME}, blocks until interrupted, then
   * leaves {@code dir/interrupted-NAME} and ends; a later run returns {@code value} at once. Once
   * {@code started-NAME} exists the task needs no more classes from its client, so an interrupt reaches it in
   * its sleep (a task still waiting for its classes when cancelled never starts, and leaves no file).
   */
  public static SerializableCallable<String> blocksFirstTime(String dir, String name, String value) {
    return () -> {
      boolean first = runs(Path.of(dir), name) == 0;
      Files.createTempFile(Path.of(dir), "ran-" + name + "-", "");
      if (first) {
        Files.writeString(Path.of(dir, "started-" + name), "");
        try {
          Thread.sleep(600_000);
        } catch (InterruptedException e) {
          Files.writeString(Path.of(dir, "interrupted-" + name), "");
          throw e;
        }
      }
      return value;
    };
  }

  /** Computes for about {@code millis} without a pause, then returns {@code x * x}. */
  public static SerializableCallable<Long> squareAfter(long millis, long x) {
    return () -> {
      long end = System.nanoTime() + millis * 1_000_000L;
      long noise = 1;
      while (System.nanoTime() < end) {
        noise = noise * 6364136223846793005L + 1442695040888963407L;
      }
      return noise == 42 ? -1 : x * x;
    };
  }
}
