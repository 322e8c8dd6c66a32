package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.client.AntPoolClient;
import io.antpool.client.AntPoolExecutor;
import io.antpool.client.AntPoolOptions;
import io.antpool.it.cancel.CancelTasks;
import io.antpool.launcher.EmbeddedPool;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Future.cancel} reaches the worker, with real server and worker JVMs: one worker with one slot, so a
 * task that runs after a cancelled one proves that slot was freed. Tasks leave files as evidence of what they
 * did ({@link CancelTasks}). The same holds for a task waiting in the client, for the reactive client's
 * {@link AntPoolClient#cancel}, and for a worker slot on the server's event bus ({@link EmbeddedPool}).
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
    Pool.awaitStatus(shared.server, s -> Pool.waitingTasks(s) == 1, WAIT); // on the server, or held by the slot

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

  @Test
  void cancelDropsATaskStillWaitingInTheClientWhichNeverRuns() throws Exception {
    try (AntPoolExecutor oneAtATime = new AntPoolExecutor(Pool.url(shared.server), 1, 0)) {
      CompletableFuture<String> busy = oneAtATime.submit(CancelTasks.holdUntilReleased(file("busy-started"),
          file("release"), file("busy-report")));
      awaitFile("busy-started");
      CompletableFuture<String> waiting = oneAtATime.submit(CancelTasks.leaveMark(file("waiting-ran")));

      assertTrue(waiting.cancel(true));

      assertCancelled(waiting);
      Files.writeString(dir.resolve("release"), "");
      assertEquals("released", busy.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      assertEquals("after", oneAtATime.submit(CancelTasks.answer("after"))
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      assertFalse(Files.exists(dir.resolve("waiting-ran")), "the cancelled task was never sent");
    }
  }

  @Test
  void theReactiveClientCancelsTheTaskBehindAVertxFuture() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      AntPoolClient client = AntPoolClient.connect(vertx, new AntPoolOptions().setUrl(Pool.url(shared.server)))
          .toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      io.vertx.core.Future<String> sleeping = client.submit(CancelTasks.sleepAMinute(file("started"),
          file("interrupted")));
      awaitFile("started");

      assertTrue(await(client.cancel(sleeping, true)));

      assertTrue(sleeping.failed() && sleeping.cause() instanceof CancellationException,
          "the future failed with a CancellationException: " + sleeping.cause());
      assertFalse(await(client.cancel(sleeping, true)), "a second cancel finds the task done");
      assertEquals("next", client.submit(CancelTasks.answer("next")).toCompletionStage().toCompletableFuture()
          .get(SLOT_FREED.toMillis(), TimeUnit.MILLISECONDS));
      assertTrue(Files.exists(dir.resolve("interrupted")), "the worker interrupted the sleeping task's thread");
      await(client.close());
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void cancelTrueInterruptsATaskOnAnEventBusSlot() throws Exception {
    try (EmbeddedPool embedded = EmbeddedPool.start(0, 1);
        AntPoolExecutor local = new AntPoolExecutor(embedded.url())) {
      CompletableFuture<String> sleeping = local.submit(CancelTasks.sleepAMinute(file("started"),
          file("interrupted")));
      awaitFile("started");

      assertTrue(sleeping.cancel(true));

      assertCancelled(sleeping);
      assertEquals("next", local.submit(CancelTasks.answer("next")).get(SLOT_FREED.toMillis(),
          TimeUnit.MILLISECONDS));
      assertTrue(Files.exists(dir.resolve("interrupted")), "the slot interrupted the sleeping task's thread");
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------------

  /**
   * As {@code ThreadPoolExecutor.shutdownNow}: the tasks that never started (here, queued on the server or held
   * by the worker behind the one running on the single slot) are returned and never run; the running one is
   * interrupted and its future completes with what it threw.
   */
  @Test
  void shutdownNowReturnsTheTasksQueuedOnTheServerAndInterruptsTheRunningOne() throws Exception {
    AntPoolExecutor own = new AntPoolExecutor(Pool.url(shared.server));
    CompletableFuture<String> running = own.submit(CancelTasks.sleepAMinute(file("started"), file("interrupted")));
    awaitFile("started");
    List<CompletableFuture<String>> queued = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      queued.add(own.submit(CancelTasks.leaveMark(file("queued-" + i))));
    }
    Pool.awaitStatus(shared.server, s -> Pool.waitingTasks(s) == 4, WAIT); // queued, or held by the slot

    List<Runnable> neverStarted = own.shutdownNow();

    assertEquals(4, neverStarted.size(), "the four tasks that waited on the server or the worker");
    queued.forEach(CancellationIT::assertCancelled);
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> running.get(SLOT_FREED.toMillis(), TimeUnit.MILLISECONDS));
    assertInstanceOf(InterruptedException.class, e.getCause(), "the running task was interrupted");
    assertTrue(own.awaitTermination(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertEquals("after", pool.submit(CancelTasks.answer("after")).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    for (int i = 0; i < 4; i++) {
      assertFalse(Files.exists(dir.resolve("queued-" + i)), "a withdrawn task never ran");
    }
  }

  /** A task timeout is kept on the worker: at the deadline the task is interrupted and fails with it. */
  @Test
  void aTaskPastItsTimeoutIsInterruptedOnItsWorkerAndFailsWithTimeoutException() throws Exception {
    try (AntPoolExecutor timed = new AntPoolExecutor(new AntPoolOptions().setUrl(Pool.url(shared.server))
        .setTaskTimeoutMillis(300))) {
      CompletableFuture<String> sleeping = timed.submit(CancelTasks.sleepAMinute(file("started"),
          file("interrupted")));

      ExecutionException e = assertThrows(ExecutionException.class,
          () -> sleeping.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));

      TimeoutException timeout = assertInstanceOf(TimeoutException.class, e.getCause());
      assertTrue(timeout.getMessage().contains("ran past its timeout of 300 ms"), timeout.getMessage());
      assertTrue(Files.exists(dir.resolve("interrupted")), "the worker interrupted the task");
      assertEquals("in time", timed.submit(CancelTasks.answer("in time")).get(WAIT.toMillis(),
          TimeUnit.MILLISECONDS), "a task within its timeout answers, on the same slot");
    }
  }

  /**
   * Back-pressure: with {@code maxPending} tasks not completed, the executor's {@code submit} blocks until one
   * completes, and the reactive client, which must not block, refuses the task at once.
   */
  @Test
  void atMaxPendingTheExecutorBlocksAndTheReactiveClientRefuses() throws Exception {
    try (AntPoolExecutor bounded = new AntPoolExecutor(new AntPoolOptions().setUrl(Pool.url(shared.server))
        .setMaxPending(2))) {
      CompletableFuture<String> first = bounded.submit(CancelTasks.holdUntilReleased(file("started"),
          file("release"), file("report")));
      CompletableFuture<String> second = bounded.submit(CancelTasks.answer("second"));
      awaitFile("started");
      CompletableFuture<CompletableFuture<String>> third = new CompletableFuture<>();
      Thread submitter = new Thread(() -> third.complete(bounded.submit(CancelTasks.answer("third"))));
      submitter.start();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (submitter.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(Thread.State.WAITING, submitter.getState(), "the third submit waits for room");
      assertFalse(third.isDone());

      Files.writeString(dir.resolve("release"), "");

      assertEquals("released", first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      assertEquals("second", second.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      assertEquals("third", third.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).get(WAIT.toMillis(),
          TimeUnit.MILLISECONDS));
    }

    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      AntPoolClient reactive = AntPoolClient.create(vertx, new AntPoolOptions().setUrl(Pool.url(shared.server))
          .setMaxPending(1));
      io.vertx.core.Future<String> held = reactive.call(CancelTasks.holdUntilReleased(file("r-started"),
          file("r-release"), file("r-report")));
      ExecutionException refused = assertThrows(ExecutionException.class,
          () -> await(reactive.call(CancelTasks.answer("too many"))));
      assertInstanceOf(java.util.concurrent.RejectedExecutionException.class, refused.getCause());
      assertTrue(refused.getCause().getMessage().contains("maxPending"), refused.getCause().getMessage());
      Files.writeString(dir.resolve("r-release"), "");
      assertEquals("released", await(held));
      await(reactive.close());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private String file(String name) {
    return dir.resolve(name).toString();
  }

  /** Waits, polling every 10 ms up to {@link #WAIT}, until a task has created {@code name} in the test's directory. */
  private void awaitFile(String name) throws InterruptedException {
    Pool.awaitFile(dir.resolve(name), WAIT);
  }

  /** The future reports cancelled as a cancelled {@code FutureTask} does. */
  private static void assertCancelled(Future<?> future) {
    assertTrue(future.isCancelled(), "isCancelled");
    assertTrue(future.isDone(), "isDone");
    assertThrows(CancellationException.class, future::get);
    assertThrows(CancellationException.class, () -> future.get(1, TimeUnit.SECONDS));
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static long tasksRunByTheSlot() throws Exception {
    return Pool.status(shared.server).getJsonArray("workers").stream().map(JsonObject.class::cast)
        .mapToLong(w -> w.getLong("tasksRun")).sum();
  }
}
