package io.antpool.demo;

import io.antpool.TaskProgress;
import io.antpool.client.ProgressListener;
import io.antpool.client.TaskCounts;
import java.io.PrintStream;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * A progress bar for the demo's runs, fed by the executor's {@link ProgressListener}: the share of the run's
 * tasks done, each running task counted by the fraction it last reported (the bar never moves back within a
 * run, though a task that just ended may leave the running ones a moment before the counts say it ended). It
 * shows only on runs longer than a second. On a console it is redrawn in place ({@code \r}); otherwise (output
 * to a file or a CI log) a plain line is printed every five seconds at most, so logs stay readable.
 *
 * <pre>
 *   futures    [##############----------------]  47%   7/16 tasks done
 * </pre>
 */
final class ConsoleProgress implements ProgressListener {
  static final long SHOW_AFTER_NANOS = 1_000_000_000L;
  static final long PLAIN_EVERY_NANOS = 5_000_000_000L;
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean inPlace;
  private final LongSupplier nanoClock;
  private final Map<Future<?>, TaskProgress> running = new IdentityHashMap<>();
  private long submitted;
  private long completed;
  private long failed;
  /** The run shown, or null between runs. */
  private String run;
  private long runSubmitted;
  private long runCompleted;
  private long runFailed;
  private long runStart;
  /** The largest share shown in this run. */
  private double shown;
  private long lastPlain;
  /** Characters of the line drawn in place, to blank it. */
  private int drawn;

  /**
   * @param inPlace redraw one line with {@code \r} (a console); else print a plain line now and then
   */
  ConsoleProgress(PrintStream out, boolean inPlace, LongSupplier nanoClock) {
    this.out = out;
    this.inPlace = inPlace;
    this.nanoClock = nanoClock;
  }

  /** For the demo: on {@code System.out}, in place when there is a console. */
  static ConsoleProgress onStandardOutput() {
    return new ConsoleProgress(System.out, System.console() != null, System::nanoTime);
  }

  /**
   * A run named {@code name} starts: its tasks are those submitted after {@code before}, the executor's figures
   * now ({@code AntPoolExecutor.taskCounts()}; what this listener was told may lag them).
   */
  synchronized void begin(String name, TaskCounts before) {
    run = name;
    runSubmitted = before.submitted();
    runCompleted = before.completed();
    runFailed = before.failed();
    submitted = Math.max(submitted, before.submitted());
    completed = Math.max(completed, before.completed());
    failed = Math.max(failed, before.failed());
    shown = 0;
    runStart = nanoClock.getAsLong();
    lastPlain = runStart;
    running.clear();
  }

  /** The run has ended: the bar is blanked, so what is printed next starts a clean line. */
  synchronized void end() {
    if (drawn > 0) {
      out.print("\r" + " ".repeat(drawn) + "\r");
      out.flush();
      drawn = 0;
    }
    run = null;
  }

  @Override
  public synchronized void counts(long submitted, long completed, long failed) {
    this.submitted = Math.max(this.submitted, submitted); // a call made before begin() may come after it
    this.completed = Math.max(this.completed, completed);
    this.failed = Math.max(this.failed, failed);
    show();
  }

  @Override
  public synchronized void taskProgress(Future<?> task, TaskProgress progress) {
    if (run != null) {
      running.put(task, progress);
    }
    show();
  }

  private void show() {
    long now = nanoClock.getAsLong();
    if (run == null || now - runStart < SHOW_AFTER_NANOS) {
      return;
    }
    if (inPlace) {
      String line = line();
      out.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
      out.flush();
      drawn = line.length();
    } else if (now - lastPlain >= PLAIN_EVERY_NANOS) {
      out.println(line());
      lastPlain = now;
    }
  }

  private String line() {
    running.keySet().removeIf(Future::isDone);
    long tasks = submitted - runSubmitted;
    long done = completed - runCompleted;
    long lost = failed - runFailed;
    double partly = 0;
    for (TaskProgress p : running.values()) {
      partly += Double.isNaN(p.fraction()) ? 0 : p.fraction();
    }
    shown = Math.max(shown, tasks == 0 ? 0 : Math.min(1, (done + lost + partly) / tasks));
    double share = shown;
    int filled = (int) Math.round(share * WIDTH);
    String failures = lost > 0 ? ", " + lost + " failed" : "";
    return String.format("  %-9s [%s%s] %3d%%  %3d/%d tasks done%s", run, "#".repeat(filled),
        "-".repeat(WIDTH - filled), Math.round(share * 100), done + lost, tasks, failures);
  }
}
