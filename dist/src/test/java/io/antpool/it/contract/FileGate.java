package io.antpool.it.contract;

import io.antpool.SerializableCallable;
import java.nio.file.Paths;

/**
 * Tasks that wait until the test opens a gate: a file it creates in a directory the test JVM and the workers
 * share (they run on the same machine). A gate makes the order in which tasks finish the test's decision, not
 * the machine's timing.
 */
public final class FileGate {
  private FileGate() {
  }

  /** Waits (interruptibly, at most {@code maxMillis}) until {@code gate} exists, then returns {@code value}. */
  public static SerializableCallable<String> waitFor(String gate, String value, long maxMillis) {
    return () -> {
      if (!FileEvents.await(Paths.get(gate), maxMillis)) {
        throw new IllegalStateException("the gate " + gate + " did not open within " + maxMillis + " ms");
      }
      return value;
    };
  }
}
