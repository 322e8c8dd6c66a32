package io.antpool.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.TaskProgress;
import io.antpool.client.ProgressListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@link ProgressNotifier} with an executor, a clock and a timer the test drives: listener calls happen only on
 * the executor, one drain at a time; counts calls are throttled, the last figures always arrive (at the end of
 * the interval, at once when idle, at close); reports of a task that arrive while the listener is busy coalesce
 * to the latest; a listener that throws is still called.
 */
class ProgressNotifierTest {
  private long nowNanos = 1_000_000_000L;
  private final ArrayDeque<Runnable> executor = new ArrayDeque<>();
  private final List<Runnable> timers = new ArrayList<>();
  private final List<String> calls = new ArrayList<>();
  private final ProgressNotifier notifier = new ProgressNotifier(executor::add, () -> nowNanos,
      (delay, action) -> timers.add(action));
  private final ProgressListener recorder = new ProgressListener() {
    @Override
    public void counts(long submitted, long completed, long failed) {
      calls.add("counts " + submitted + "/" + completed + "/" + failed);
    }

    @Override
    public void taskProgress(Future<?> task, TaskProgress progress) {
      calls.add(task + " " + progress.done() + "/" + progress.total());
    }
  };

  /** Runs what was handed to the executor, as its threads would. */
  private void runExecutor() {
    while (!executor.isEmpty()) {
      executor.poll().run();
    }
  }

  private void advanceMillis(long millis) {
    nowNanos += millis * 1_000_000L;
  }

  @Test
  void aNewListenerIsToldTheCurrentFiguresAtOnce() {
    notifier.submitted();
    notifier.settled(false);

    notifier.listener(recorder);
    assertTrue(calls.isEmpty(), "calls happen on the executor only");
    runExecutor();

    assertEquals(List.of("counts 1/0/1"), calls);
  }

  @Test
  void countsCallsAreThrottledAndTheLastFiguresArriveAtTheEndOfTheInterval() {
    notifier.listener(recorder);
    runExecutor();
    for (int i = 0; i < 50; i++) {
      notifier.submitted();
    }
    runExecutor();
    for (int i = 0; i < 30; i++) {
      advanceMillis(1);
      notifier.settled(true);
    }
    runExecutor();
    assertEquals(List.of("counts 0/0/0", "counts 50/0/0"), calls,
        "the first change went at once (with the figures when the call was made), the others wait");

    advanceMillis(ProgressNotifier.COUNTS_INTERVAL_MILLIS);
    timers.remove(0).run();
    runExecutor();

    assertEquals(List.of("counts 0/0/0", "counts 50/0/0", "counts 50/30/0"), calls);
  }

  @Test
  void whenIdleTheFiguresGoAtOnce() {
    notifier.listener(recorder);
    runExecutor();
    notifier.submitted();
    runExecutor();
    notifier.settled(true);
    runExecutor();
    assertEquals(List.of("counts 0/0/0", "counts 1/0/0"), calls, "the settled task waits for the interval");

    notifier.idle();
    runExecutor();

    assertEquals(List.of("counts 0/0/0", "counts 1/0/0", "counts 1/1/0"), calls);
    notifier.idle();
    runExecutor();
    assertEquals(3, calls.size(), "figures already told are not told again");
  }

  @Test
  void reportsOfATaskThatArriveWhileTheListenerIsBusyCoalesceToTheLatest() {
    Future<?> a = CompletableFuture.completedFuture("a");
    Future<?> b = CompletableFuture.completedFuture("b");
    notifier.listener(new ProgressListener() {
      @Override
      public void taskProgress(Future<?> task, TaskProgress progress) {
        recorder.taskProgress(task, progress);
      }
    });
    runExecutor();

    notifier.taskProgress(a, new TaskProgress(1, 9));
    notifier.taskProgress(b, new TaskProgress(1, 1));
    notifier.taskProgress(a, new TaskProgress(5, 9));
    assertEquals(1, executor.size(), "one drain for all of them");
    runExecutor();

    assertEquals(List.of(a + " 5/9", b + " 1/1"), calls);
  }

  @Test
  void closingTellsTheLastFiguresAndCompletesOnlyAfterTheLastCall() {
    notifier.listener(recorder);
    runExecutor();
    notifier.submitted();
    runExecutor();
    advanceMillis(1);
    notifier.settled(true);
    runExecutor();

    CompletableFuture<Void> closed = notifier.close();

    assertFalse(closed.isDone(), "the last call is still to be made");
    runExecutor();
    assertTrue(closed.isDone());
    assertEquals(List.of("counts 0/0/0", "counts 1/0/0", "counts 1/1/0"), calls);
    notifier.submitted();
    notifier.taskProgress(CompletableFuture.completedFuture(1), new TaskProgress(1, 1));
    timers.forEach(Runnable::run);
    runExecutor();
    assertEquals(3, calls.size(), "nothing after close");
  }

  @Test
  void aListenerThatThrowsIsCalledForLaterEvents() {
    Future<?> a = CompletableFuture.completedFuture("a");
    notifier.listener(new ProgressListener() {
      @Override
      public void taskProgress(Future<?> task, TaskProgress progress) {
        calls.add("report " + progress.done());
        throw new IllegalStateException("listener bug");
      }
    });
    runExecutor();

    notifier.taskProgress(a, new TaskProgress(1, 2));
    runExecutor();
    notifier.taskProgress(a, new TaskProgress(2, 2));
    runExecutor();

    assertEquals(List.of("report 1", "report 2"), calls);
  }

  @Test
  void withoutAListenerNothingIsHandedToTheExecutor() {
    notifier.submitted();
    notifier.taskProgress(CompletableFuture.completedFuture(1), new TaskProgress(1, 1));
    notifier.idle();

    assertTrue(executor.isEmpty());
    assertTrue(notifier.close().isDone());
  }
}
