package io.antpool.it.cancel;

import io.antpool.SerializableCallable;
import io.antpool.it.contract.FileEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Tasks for the cancellation tests. They run in worker JVMs on this machine and leave their evidence as files
 * (paths given as strings), which the test reads.
 */
public final class CancelTasks {
  private CancelTasks() {
  }

  /**
   * Creates {@code started}, then sleeps for a minute, interruptibly; when interrupted, creates
   * {@code interrupted} and ends with the {@link InterruptedException}.
   */
  public static SerializableCallable<String> sleepAMinute(String started, String interrupted) {
    return () -> {
      touch(started);
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        touch(interrupted);
        throw e;
      }
      return "slept a minute";
    };
  }

  /**
   * Creates {@code started}, waits (up to two minutes, without reacting to interrupts) until {@code release}
   * exists, then writes to {@code report} whether its thread was interrupted meanwhile.
   */
  public static SerializableCallable<String> holdUntilReleased(String started, String release, String report) {
    return () -> {
      touch(started);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      boolean interrupted = false;
      while (true) {
        try {
          FileEvents.await(Path.of(release), Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
          break;
        } catch (InterruptedException e) {
          interrupted = true; // noted, not obeyed: this task goes on waiting
        }
      }
      FileEvents.writeWhole(Path.of(report), "interrupted=" + (interrupted || Thread.interrupted()));
      return "released";
    };
  }

  /** Creates {@code ran}: the evidence that the task ran. */
  public static SerializableCallable<String> leaveMark(String ran) {
    return () -> {
      touch(ran);
      return "ran";
    };
  }

  /** Returns {@code value}. */
  public static SerializableCallable<String> answer(String value) {
    return () -> value;
  }

  private static void touch(String path) {
    try {
      Files.writeString(Path.of(path), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
