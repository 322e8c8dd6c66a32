package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's default prefetch with real server and worker JVMs: a worker slot that runs quick tasks is sent
 * more while it works, and what it holds unstarted is taken back (recalled) when that matters: for a slot that
 * is free while the task ahead runs long, and for {@code shutdownNow()}, which returns it as never started.
 * Tasks leave files as evidence ({@link CancelTasks}); a status API check first makes sure the slot does hold
 * tasks behind a long one, so that each test exercises the recall and not the server's queue. Worker slots on
 * a WebSocket (worker JVMs) and on the server's event bus ({@link EmbeddedPool}) alike.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PrefetchRecallIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Tasks submitted behind the long one: fewer than the default prefetch, so one slot may hold them all. */
  private static final int BEHIND = 10;

  private Path dir;

  @BeforeEach
  void evidenceDirectory() throws Exception {
    dir = Files.createTempDirectory("antpool-recall");
  }

  @Test
  void aSlotThatJoinsTakesTheTasksHeldBehindALongOneWhichStillRuns() throws Exception {
    try (ChildJvm server = Pool.server(); ChildJvm first = Pool.worker(server, 1);
        AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server), 64, 0)) {
      warmUp(pool);
      CompletableFuture<String> longOne = pool.submit(CancelTasks.holdUntilReleased(file("long-started"),
          file("release"), file("long-report")));
      List<CompletableFuture<String>> behind = submitBehind(pool);
      awaitHeld(server, BEHIND + 1);

      try (ChildJvm second = Pool.worker(server, 1)) {
        for (int i = 0; i < BEHIND; i++) {
          assertEquals("ran", behind.get(i).get(WAIT.toMillis(), TimeUnit.MILLISECONDS),
              "task " + i + " held behind the long one ran on the slot that joined");
        }
        assertFalse(longOne.isDone(), "the long task still runs: the others did not wait for it");
        JsonObject status = Pool.status(server);
        assertEquals(BEHIND, (long) status.getJsonObject("tasks").getLong("recalled"), "each was recalled from the"
            + " busy slot: " + status.encodePrettily());
        assertEquals(0L, status.getJsonObject("tasks").getLong("rerun"), "a recall is not a rerun");
        assertEquals(BEHIND, tasksRunBy(status, second), "the new slot ran every task given back");
      }
      Pool.awaitFile(dir.resolve("long-started"), WAIT);
      Files.writeString(dir.resolve("release"), "");
      assertEquals("released", longOne.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  @Test
  void shutdownNowReturnsTheTasksAWorkerHeldUnstartedAndInterruptsTheRunningOne() throws Exception {
    try (ChildJvm server = Pool.server(); ChildJvm worker = Pool.worker(server, 1);
        AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server), 64, 0)) {
      warmUp(pool);
      CompletableFuture<String> running = pool.submit(CancelTasks.sleepAMinute(file("long-started"),
          file("interrupted")));
      List<CompletableFuture<String>> behind = submitBehind(pool);
      awaitHeld(server, BEHIND + 1);
      Pool.awaitFile(dir.resolve("long-started"), WAIT);

      List<Runnable> neverStarted = pool.shutdownNow();

      assertEquals(BEHIND, neverStarted.size(), "every task the worker held unstarted is returned");
      behind.forEach(f -> assertTrue(f.isCancelled(), "its future is cancelled: " + f));
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> running.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      assertInstanceOf(InterruptedException.class, e.getCause(), "the running task was interrupted");
      assertTrue(pool.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS));
      JsonObject status = Pool.awaitStatus(server, s -> s.getInteger("busySlots") == 0, WAIT);
      assertEquals(BEHIND, (long) status.getJsonObject("tasks").getLong("recalled"), status.encodePrettily());
      for (int i = 0; i < BEHIND; i++) {
        assertFalse(Files.exists(dir.resolve("behind-" + i)), "task " + i + " never ran");
      }
    }
  }

  @Test
  void onTheEventBusToo() throws Exception {
    try (EmbeddedPool embedded = EmbeddedPool.start(0, 1);
        AntPoolExecutor pool = new AntPoolExecutor(embedded.url(), 64, 0)) {
      int port = Integer.parseInt(embedded.url().substring(embedded.url().lastIndexOf(':') + 1));
      warmUp(pool);
      CompletableFuture<String> running = pool.submit(CancelTasks.sleepAMinute(file("long-started"),
          file("interrupted")));
      List<CompletableFuture<String>> behind = submitBehind(pool);
      Pool.awaitStatus(port, s -> s.getJsonArray("workers").getJsonObject(0).getInteger("held") == BEHIND + 1, WAIT);
      Pool.awaitFile(dir.resolve("long-started"), WAIT);

      List<Runnable> neverStarted = pool.shutdownNow();

      assertEquals(BEHIND, neverStarted.size(), "the slot on the event bus gave back every task it held unstarted");
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> running.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      assertInstanceOf(InterruptedException.class, e.getCause());
      Pool.awaitStatus(port, s -> s.getInteger("busySlots") == 0, WAIT);
      for (int i = 0; i < BEHIND; i++) {
        assertFalse(Files.exists(dir.resolve("behind-" + i)), "task " + i + " never ran");
      }
    }
  }

  /**
   * Makes the pool's one slot quick: its last task took well under 5 ms, so the server sends it tasks while it
   * works. The long task and those behind it are then submitted at once, before the long one has run 5 ms.
   */
  private static void warmUp(AntPoolExecutor pool) throws Exception {
    List<CompletableFuture<String>> warm = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      warm.add(pool.submit(CancelTasks.answer("warm")));
    }
    for (CompletableFuture<String> f : warm) {
      assertEquals("warm", f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  private List<CompletableFuture<String>> submitBehind(AntPoolExecutor pool) {
    List<CompletableFuture<String>> behind = new ArrayList<>();
    for (int i = 0; i < BEHIND; i++) {
      behind.add(pool.submit(CancelTasks.leaveMark(file("behind-" + i))));
    }
    return behind;
  }

  /**
   * Waits until the one slot holds {@code count} tasks: the long one and every task behind it. A slot whose
   * last warm-up task happened to take 5 ms or more is sent one task at a time; then the tasks stay queued on
   * the server and this fails, naming that.
   */
  private static void awaitHeld(ChildJvm server, int count) throws Exception {
    Pool.awaitStatus(server, s -> s.getJsonArray("workers").getJsonObject(0).getInteger("held") == count, WAIT);
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

  private String file(String name) {
    return dir.resolve(name).toString();
  }
}
