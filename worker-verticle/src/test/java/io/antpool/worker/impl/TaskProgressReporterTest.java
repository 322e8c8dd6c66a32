package io.antpool.worker.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.TaskProgress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskProgressReporter} on a clock and a timer the test drives: the first report goes at once, reports
 * within {@value TaskProgressReporter#INTERVAL_MILLIS} ms become one, the latest, at the end of the interval;
 * the last report is sent when the task ends if it had not gone yet, and nothing is sent after that.
 */
class TaskProgressReporterTest {
  private long nowNanos = 5_000_000_000L;
  private final List<Runnable> timers = new ArrayList<>();
  private final List<Long> delays = new ArrayList<>();
  private final List<TaskProgress> sent = new ArrayList<>();
  private final TaskProgressReporter reporter = new TaskProgressReporter(() -> nowNanos, (delay, action) -> {
    delays.add(delay);
    timers.add(action);
  }, sent::add);

  private void advanceMillis(long millis) {
    nowNanos += millis * 1_000_000L;
  }

  @Test
  void manyReportsWithinTheIntervalSendTheFirstAtOnceAndTheLatestAtItsEnd() {
    for (int i = 1; i <= 1000; i++) {
      reporter.progress(i, 1000, "item " + i);
    }
    assertEquals(List.of(new TaskProgress(1, 1000, "item 1")), sent);
    assertEquals(List.of(TaskProgressReporter.INTERVAL_MILLIS), delays);

    advanceMillis(TaskProgressReporter.INTERVAL_MILLIS);
    timers.remove(0).run();

    assertEquals(List.of(new TaskProgress(1, 1000, "item 1"), new TaskProgress(1000, 1000, "item 1000")), sent);
  }

  @Test
  void reportsFarApartAreEachSentAtOnce() {
    reporter.progress(1, 3);
    advanceMillis(300);
    reporter.progress(2, 3);
    advanceMillis(300);
    reporter.progress(3, 3);

    assertEquals(List.of(new TaskProgress(1, 3), new TaskProgress(2, 3), new TaskProgress(3, 3)), sent);
    assertTrue(timers.isEmpty());
  }

  @Test
  void theLastReportIsSentWhenTheTaskEndsAndNothingAfter() {
    reporter.progress(1, 10);
    advanceMillis(20);
    reporter.progress(9, 10, "almost");

    reporter.finish();
    reporter.progress(10, 10, "too late");
    advanceMillis(TaskProgressReporter.INTERVAL_MILLIS);
    timers.forEach(Runnable::run);

    assertEquals(List.of(new TaskProgress(1, 10), new TaskProgress(9, 10, "almost")), sent);
  }

  @Test
  void aTaskThatEndsWithEverythingSentSendsNothingMore() {
    reporter.progress(1, 1);

    reporter.finish();

    assertEquals(List.of(new TaskProgress(1, 1)), sent);
  }

  @Test
  void figuresOutOfRangeAreRefusedOnTheTasksThreadAndNothingIsSent() {
    assertThrows(IllegalArgumentException.class, () -> reporter.progress(-1, 10));

    reporter.finish();

    assertTrue(sent.isEmpty());
  }
}
