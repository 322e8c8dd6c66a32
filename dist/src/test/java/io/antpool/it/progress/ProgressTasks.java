package io.antpool.it.progress;

import io.antpool.SerializableCallable;
import io.antpool.TaskContext;
import io.antpool.it.contract.FileEvents;
import java.nio.file.Path;

/** Tasks that report their progress ({@link TaskContext}) at points the test decides. */
public final class ProgressTasks {
  private ProgressTasks() {
  }

  /**
   * For i = 1 to {@code steps}: reports i of {@code steps} with the message "step i", then waits (at most two
   * minutes) until the file {@code dir/go-i} exists. Returns {@code steps}. Each report is the task's latest
   * until the test opens the next gate, so none is superseded before it is sent.
   */
  public static SerializableCallable<Integer> gatedSteps(String dir, int steps) {
    return () -> {
      TaskContext context = TaskContext.current();
      for (int i = 1; i <= steps; i++) {
        context.progress(i, steps, "step " + i);
        Path gate = Path.of(dir, "go-" + i);
        if (!FileEvents.await(gate, 120_000)) {
          throw new IllegalStateException("the gate " + gate + " did not open within two minutes");
        }
      }
      return steps;
    };
  }

  /**
   * Reports 1 to {@code count} of {@code count} as fast as it can, then waits (at most two minutes) until the file
   * {@code dir/burst-over} exists; returns {@code count}. The worker sends the first report at once and the last
   * within 250 ms, while the task still waits.
   */
  public static SerializableCallable<Integer> burstThenWait(String dir, int count) {
    return () -> {
      TaskContext context = TaskContext.current();
      for (int i = 1; i <= count; i++) {
        context.progress(i, count);
      }
      Path gate = Path.of(dir, "burst-over");
      if (!FileEvents.await(gate, 120_000)) {
        throw new IllegalStateException("the gate " + gate + " did not open within two minutes");
      }
      return count;
    };
  }

  /** Reports one of two steps done, then fails. */
  public static SerializableCallable<Integer> failHalfway() {
    return () -> {
      TaskContext.current().progress(1, 2, "half");
      throw new IllegalStateException("failed halfway, on purpose");
    };
  }
}
