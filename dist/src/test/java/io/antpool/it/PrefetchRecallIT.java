package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.SerializableCallable;
import io.antpool.client.AntPoolExecutor;
import io.antpool.it.cancel.CancelTasks;
import io.antpool.launcher.EmbeddedPool;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's default prefetch with real server and worker JVMs: a worker slot that runs quick tasks is sent
 * more while it works, and what it holds unstarted is taken back (recalled) when that matters: for a slot that
 * is free while the task ahead runs long, and for {@code shutdownNow()}, which returns it as never started.
 * Worker slots on a WebSocket (worker JVMs) and on the server's event bus ({@link EmbeddedPool}) alike. Tasks
 * leave files as evidence ({@link CancelTasks}).
 *
 * <p>Each test first sets up its premise, checked on the status API: the one slot runs a long task and holds at
 * least one more behind it. Whether it does depends on timing the test cannot control (a slot is sent tasks
 * while it works only if its last task took under 5 ms, and only until its running task has run 5 ms), so
 * a set-up that misses it is undone and tried again, a bounded number of times; the assertions that follow
 * are exact.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class PrefetchRecallIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Tasks submitted behind the long one: fewer than the default prefetch, so one slot may hold them all. */
  private static final int BEHIND = 10;
  private static final int SET_UP_TRIES = 5;

  private Path dir;

  @BeforeEach
  void evidenceDirectory() throws Exception {
    dir = Files.createTempDirectory("antpool-recall");
  }

  @Test
  void aSlotThatJoinsTakesTheTasksHeldBehindALongOneWhichStillRuns() throws Exception {
    try (ChildJvm server = Pool.server(); ChildJvm first = Pool.worker(server, 1);
        AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server), 64, 0)) {
      Round round = setUp(pool, Pool.port(server), r -> CancelTasks.holdUntilReleased(r.file("long-started"),
          r.file("release"), r.file("long-report")));

      try (ChildJvm second = Pool.worker(server, 1)) {
        for (int i = 0; i < BEHIND; i++) {
          assertEquals("ran", round.behind.get(i).get(WAIT.toMillis(), TimeUnit.MILLISECONDS),
              "task " + i + " behind the long one ran on the slot that joined");
        }
        assertFalse(round.longOne.isDone(), "the long task still runs: the others did not wait for it");
        JsonObject status = Pool.status(server);
        assertEquals(round.recalledBefore + round.heldBehind, (long) status.getJsonObject("tasks")
            .getLong("recalled"), "each task held behind the long one was recalled: " + status.encodePrettily());
        assertEquals(0L, status.getJsonObject("tasks").getLong("rerun"), "a recall is not a rerun");
        assertEquals(BEHIND, tasksRunBy(status, second), "the new slot ran every task, those given back included");
      }
      Files.writeString(round.dir.resolve("release"), "");
      assertEquals("released", round.longOne.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  @Test
  void shutdownNowReturnsTheTasksAWorkerHeldUnstartedAndInterruptsTheRunningOne() throws Exception {
    try (ChildJvm server = Pool.server(); ChildJvm worker = Pool.worker(server, 1);
        AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server), 64, 0)) {
      shutdownNowReturnsWhatWaitedOnTheSlot(pool, Pool.port(server));
    }
  }

  @Test
  void shutdownNowReturnsTheTasksASlotOnTheEventBusHeldUnstarted() throws Exception {
    try (EmbeddedPool embedded = EmbeddedPool.start(0, 1);
        AntPoolExecutor pool = new AntPoolExecutor(embedded.url(), 64, 0)) {
      shutdownNowReturnsWhatWaitedOnTheSlot(pool,
          Integer.parseInt(embedded.url().substring(embedded.url().lastIndexOf(':') + 1)));
    }
  }

  private void shutdownNowReturnsWhatWaitedOnTheSlot(AntPoolExecutor pool, int port) throws Exception {
    Round round = setUp(pool, port, r -> CancelTasks.sleepAMinute(r.file("long-started"), r.file("interrupted")));

    List<Runnable> neverStarted = pool.shutdownNow();

    assertEquals(BEHIND, neverStarted.size(), "every task behind the long one is returned, held or queued");
    round.behind.forEach(f -> assertTrue(f.isCancelled(), "its future is cancelled: " + f));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> round.longOne.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertInstanceOf(InterruptedException.class, e.getCause(), "the running task was interrupted");
    assertTrue(pool.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS));
    JsonObject status = Pool.awaitStatus(port, s -> s.getInteger("busySlots") == 0, WAIT);
    assertEquals(round.recalledBefore + round.heldBehind, (long) status.getJsonObject("tasks").getLong("recalled"),
        "the tasks the slot held were recalled: " + status.encodePrettily());
    for (int i = 0; i < BEHIND; i++) {
      assertFalse(Files.exists(round.dir.resolve("behind-" + i)), "task " + i + " never ran");
    }
  }

  /** A long task running on the one slot, and {@link #BEHIND} tasks waiting, some of them held by the slot. */
  private record Round(Path dir, CompletableFuture<String> longOne, List<CompletableFuture<String>> behind,
      int heldBehind, long recalledBefore) {
    String file(String name) {
      return dir.resolve(name).toString();
    }
  }

  /**
   * Makes the slot quick (200 tiny tasks), then submits a long task and {@link #BEHIND} quick ones at once, and
   * waits until the long one runs and the others wait. Returns once the slot holds at least one of them behind
   * the long one; otherwise undoes the round (cancels all, releases the long task) and tries again.
   */
  private Round setUp(AntPoolExecutor pool, int port, Function<Round, SerializableCallable<String>> longTask)
      throws Exception {
    for (int attempt = 1; attempt <= SET_UP_TRIES; attempt++) {
      Round draft = new Round(Files.createDirectory(dir.resolve("round-" + attempt)), null, null, 0, 0);
      warmUp(pool);
      CompletableFuture<String> longOne = pool.submit(longTask.apply(draft));
      List<CompletableFuture<String>> behind = new ArrayList<>();
      for (int i = 0; i < BEHIND; i++) {
        behind.add(pool.submit(CancelTasks.leaveMark(draft.file("behind-" + i))));
      }
      Pool.awaitFile(draft.dir.resolve("long-started"), WAIT);
      JsonObject status = Pool.awaitStatus(port, s -> Pool.waitingTasks(s) == BEHIND, WAIT);
      int held = status.getJsonArray("workers").getJsonObject(0).getInteger("held");
      if (held > 1) {
        return new Round(draft.dir, longOne, behind, held - 1, status.getJsonObject("tasks").getLong("recalled"));
      }
      System.out.println("set-up " + attempt + ": the slot held nothing behind the long task (it was not quick);"
          + " trying again");
      behind.forEach(f -> f.cancel(false));
      Files.writeString(draft.dir.resolve("release"), "");
      longOne.cancel(true);
      Pool.awaitStatus(port, s -> s.getInteger("busySlots") == 0 && s.getInteger("queueDepth") == 0, WAIT);
    }
    throw new AssertionError("in " + SET_UP_TRIES + " set-ups the slot never held a task behind the long one");
  }

  /** Tiny tasks, so that the slot's last task took well under 5 ms. */
  private static void warmUp(AntPoolExecutor pool) throws Exception {
    List<CompletableFuture<String>> warm = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      warm.add(pool.submit(CancelTasks.answer("warm")));
    }
    for (CompletableFuture<String> f : warm) {
      assertEquals("warm", f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  private static long tasksRunBy(JsonObject status, ChildJvm worker) throws Exception {
    String name = Pool.slotNames(worker).get(0);
    for (Object o : status.getJsonArray("workers")) {
      JsonObject w = (JsonObject) o;
      if (name.equals(w.getString("name"))) {
        return w.getLong("tasksRun");
      }
    }
    throw new AssertionError("no slot " + name + " in " + status.encodePrettily());
  }
}
