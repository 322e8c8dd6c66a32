package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.client.AntPoolExecutor;
import io.antpool.it.cancel.CancelTasks;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Future.cancel} reaches the worker, with real server and worker JVMs: one worker with one slot, so a
 * task that runs after a cancelled one proves that slot was freed. Tasks leave files as evidence of what they
 * did ({@link CancelTasks}).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CancellationIT {
  /** How soon the slot of a task that honours interruption runs the next task; the task would sleep 60 s. */
  private static final Duration SLOT_FREED = Duration.ofSeconds(5);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static SharedPool shared;
  private static AntPoolExecutor pool;
  private Path dir;

  @BeforeAll
  static void startPool() throws Exception {
    shared = SharedPool.start(1);
    pool = shared.executor;
  }

  @AfterAll
  static void stopPool() {
    if (shared != null) {
      shared.close();
    }
  }

  @BeforeEach
  void evidenceDirectory() throws Exception {
    dir = Files.createTempDirectory("antpool-cancel");
  }

  @Test
  void cancelTrueInterruptsARunningTaskAndItsSlotRunsTheNextTaskAtOnce() throws Exception {
    long ranBefore = tasksRunByTheSlot();
    CompletableFuture<String> sleeping = pool.submit(CancelTasks.sleepAMinute(file("started"),
        file("interrupted")));
    awaitFile("started");

    assertTrue(sleeping.cancel(true));
    long cancelledAt = System.nanoTime();

    assertCancelled(sleeping);
    assertFalse(sleeping.cancel(true), "a second cancel finds the future done");
    String next = pool.submit(CancelTasks.answer("next")).get(SLOT_FREED.toMillis(), TimeUnit.MILLISECONDS);
    long freedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAt);
    assertEquals("next", next);
    assertTrue(Files.exists(dir.resolve("interrupted")), "the worker interrupted the sleeping task's thread");
    JsonObject status = Pool.awaitStatus(shared.server, s -> s.getInteger("busySlots") == 0, WAIT);
    assertEquals(1, status.getInteger("slots"), "one slot only: " + status.encodePrettily());
    assertEquals(ranBefore + 2, tasksRunByTheSlot(), "the one slot ran the cancelled task, then the next");
    System.out.println("slot free for the next task " + freedMillis + " ms after cancel(true)");
  }

  @Test
  void cancelFalseDropsAQueuedTaskWhichNeverRuns() throws Exception {
    CompletableFuture<String> busy = pool.submit(CancelTasks.holdUntilReleased(file("busy-started"),
        file("release"), file("busy-report")));
    awaitFile("busy-started");
    long cancelledBefore = Pool.status(shared.server).getJsonObject("tasks").getLong("cancelled");
    CompletableFuture<String> queued = pool.submit(CancelTasks.leaveMark(file("queued-ran")));
    Pool.awaitStatus(shared.server, s -> s.getInteger("queueDepth") == 1, WAIT);

    assertTrue(queued.cancel(false));

    assertCancelled(queued);
    Pool.awaitStatus(shared.server, s -> s.getInteger("queueDepth") == 0
        && s.getJsonObject("tasks").getLong("cancelled") == cancelledBefore + 1, WAIT);
    Files.writeString(dir.resolve("release"), "");
    assertEquals("released", busy.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    // the slot takes the client's tasks in order: had the cancelled one stayed queued, it would run first
    assertEquals("after", pool.submit(CancelTasks.answer("after")).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertFalse(Files.exists(dir.resolve("queued-ran")), "the cancelled task never ran");
    assertCancelled(queued);
  }

  @Test
  void cancelFalseLetsARunningTaskFinishUninterruptedAndDropsItsResult() throws Exception {
    CompletableFuture<String> running = pool.submit(CancelTasks.holdUntilReleased(file("started"),
        file("release"), file("report")));
    awaitFile("started");

    assertTrue(running.cancel(false));

    assertCancelled(running);
    // release the task only once its worker has had the cancel, so that an interrupt would have happened
    shared.workers.get(0).awaitLine(Pattern.compile("task \\d+ cancelled by its client, not interrupting it"),
        WAIT);
    Files.writeString(dir.resolve("release"), "");
    awaitFile("report");
    assertEquals("after", pool.submit(CancelTasks.answer("after")).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertEquals("interrupted=false", Files.readString(dir.resolve("report")), "the task was not interrupted");
    assertCancelled(running);
  }

  // ---- helpers ----------------------------------------------------------------------------------------

  private String file(String name) {
    return dir.resolve(name).toString();
  }

  /** Waits, polling every 10 ms up to {@link #WAIT}, until a task has created {@code name} in the test's directory. */
  private void awaitFile(String name) {
    Path path = dir.resolve(name);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.exists(path)) {
      assertTrue(System.nanoTime() < deadline, "no task created " + path + " within " + WAIT);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  /** The future reports cancelled as a cancelled {@code FutureTask} does. */
  private static void assertCancelled(Future<?> future) {
    assertTrue(future.isCancelled(), "isCancelled");
    assertTrue(future.isDone(), "isDone");
    assertThrows(CancellationException.class, future::get);
    assertThrows(CancellationException.class, () -> future.get(1, TimeUnit.SECONDS));
  }

  private static long tasksRunByTheSlot() throws Exception {
    return Pool.status(shared.server).getJsonArray("workers").stream().map(JsonObject.class::cast)
        .mapToLong(w -> w.getLong("tasksRun")).sum();
  }
}
