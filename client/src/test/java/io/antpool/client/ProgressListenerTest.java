package io.antpool.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.TaskProgress;
import io.vertx.core.Context;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AntPoolExecutor}'s progress, against a {@link ScriptedServer} the test drives: a task's reports reach the
 * listener, off the network thread, with the future {@code submit} returned, and the future's own latest report
 * is set before it completes; the counts end with the final figures before {@code close()} returns; a slow
 * listener holds up neither the connection nor the futures, and what it missed meanwhile coalesces to the
 * latest; a listener may not wait for its own executor's termination.
 */
class ProgressListenerTest {
  private static final long WAIT_SECONDS = 30;

  private ScriptedServer server;
  private AntPoolExecutor pool;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedServer();
    pool = new AntPoolExecutor(new AntPoolOptions().setUrl(server.url()));
  }

  @AfterEach
  void stop() throws Exception {
    if (!pool.isTerminated()) {
      pool.shutdownNow();
      pool.close();
    }
    server.close();
  }

  /** A task report as a listener saw it, and on which thread. */
  private record Seen(Future<?> task, TaskProgress progress, Thread thread, boolean onEventLoop) {
  }

  private static Seen next(BlockingQueue<Seen> seen) throws InterruptedException {
    Seen s = seen.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(s, "the listener was told nothing within " + WAIT_SECONDS + " s");
    return s;
  }

  @Test
  void reportsReachTheListenerOffTheNetworkThreadAndTheFutureHasTheLastBeforeItCompletes() throws Exception {
    BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    pool.setProgressListener(new ProgressListener() {
      @Override
      public void taskProgress(Future<?> task, TaskProgress progress) {
        seen.add(new Seen(task, progress, Thread.currentThread(), Context.isOnEventLoopThread()));
      }
    });
    CompletableFuture<Integer> future = pool.submit(() -> 1);
    ScriptedServer.Submitted task = server.nextSubmit();
    assertNull(pool.progress(future), "no report yet");

    task.progress(1, 3, "one");
    Seen first = next(seen);
    assertSame(future, first.task(), "the future submit returned");
    assertEquals(new TaskProgress(1, 3, "one"), first.progress());
    assertFalse(first.onEventLoop());
    assertTrue(first.thread().getName().startsWith("antpool-completion-"), first.thread().getName());
    assertEquals(new TaskProgress(1, 3, "one"), pool.progress(future));

    task.progress(3, 3, "three");
    task.value(7);
    assertEquals(7, future.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(new TaskProgress(3, 3, "three"), pool.progress(future), "set before the future completed");
    assertEquals(new TaskProgress(3, 3, "three"), next(seen).progress());
    assertNull(pool.progress(future.thenApply(v -> v)), "a dependent future has no progress of its own");
  }

  @Test
  void theCountsEndWithTheFinalFiguresBeforeCloseReturns() throws Exception {
    List<long[]> counts = new CopyOnWriteArrayList<>();
    pool.setProgressListener(new ProgressListener() {
      @Override
      public void counts(long submitted, long completed, long failed) {
        counts.add(new long[] {submitted, completed, failed});
      }
    });
    List<CompletableFuture<Integer>> futures = List.of(pool.submit(() -> 1), pool.submit(() -> 2),
        pool.submit(() -> 3), pool.submit(() -> 4));
    List<ScriptedServer.Submitted> tasks = List.of(server.nextSubmit(), server.nextSubmit(), server.nextSubmit(),
        server.nextSubmit());
    tasks.get(0).value(1);
    tasks.get(1).value(2);
    tasks.get(2).error(new IllegalStateException("boom"));
    assertEquals(1, futures.get(0).get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(2, futures.get(1).get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertThrows(ExecutionException.class, () -> futures.get(2).get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(new TaskCounts(4, 2, 1), pool.taskCounts(), "counted before the futures completed");
    assertTrue(futures.get(3).cancel(true));

    pool.close();

    long[] last = counts.get(counts.size() - 1);
    assertEquals("4/2/2", last[0] + "/" + last[1] + "/" + last[2], "a cancelled task counts as failed");
    for (int i = 1; i < counts.size(); i++) {
      long[] before = counts.get(i - 1);
      long[] now = counts.get(i);
      for (int k = 0; k < 3; k++) {
        assertTrue(now[k] >= before[k], "figures never go down");
      }
      assertTrue(now[1] + now[2] <= now[0], "no more ended than submitted");
    }
  }

  @Test
  void aSlowListenerHoldsUpNeitherTheConnectionNorTheFuturesAndWhatItMissedCoalesces() throws Exception {
    BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    CountDownLatch release = new CountDownLatch(1);
    pool.setProgressListener(new ProgressListener() {
      @Override
      public void taskProgress(Future<?> task, TaskProgress progress) {
        seen.add(new Seen(task, progress, Thread.currentThread(), false));
        try {
          release.await(); // stuck until the test lets it go
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    CompletableFuture<String> slow = pool.submit(() -> "x");
    ScriptedServer.Submitted task = server.nextSubmit();
    task.progress(1, 10, null);
    assertEquals(1, next(seen).progress().done(), "the listener is now stuck in this call");

    for (int i = 2; i <= 9; i++) {
      task.progress(i, 10, null);
    }
    task.value("x");
    assertEquals("x", slow.get(WAIT_SECONDS, TimeUnit.SECONDS), "the future completed all the same");
    CompletableFuture<String> next = pool.submit(() -> "y");
    server.nextSubmit().value("y");
    assertEquals("y", next.get(WAIT_SECONDS, TimeUnit.SECONDS), "and the connection went on");
    release.countDown();

    Seen after = next(seen);
    assertSame(slow, after.task());
    assertEquals(new TaskProgress(9, 10), after.progress(), "reports 2 to 8 were superseded while it was stuck");
  }

  @Test
  void theReactiveClientsHandlerIsToldOnItsContextWithTheFutureItReturned() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      AntPoolClient client = AntPoolClient.create(vertx, new AntPoolOptions().setUrl(server.url()));
      BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
      List<io.vertx.core.Future<?>> told = new CopyOnWriteArrayList<>();
      client.progressHandler((task, progress) -> {
        told.add(task);
        seen.add(new Seen(null, progress, Thread.currentThread(), Context.isOnEventLoopThread()));
      });
      io.vertx.core.Future<Integer> future = client.submit(() -> 5);
      ScriptedServer.Submitted task = server.nextSubmit();

      task.progress(2, 0, "two so far");

      Seen s = next(seen);
      assertEquals(new TaskProgress(2, 0, "two so far"), s.progress());
      assertTrue(s.onEventLoop(), "a Vert.x handler, on the client's context");
      assertSame(future, told.get(0));
      client.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  void aListenerThatWaitsForItsExecutorsTerminationIsToldWhy() throws Exception {
    CompletableFuture<Throwable> refused = new CompletableFuture<>();
    pool.setProgressListener(new ProgressListener() {
      @Override
      public void counts(long submitted, long completed, long failed) {
        try {
          pool.close();
          refused.complete(null);
        } catch (RuntimeException e) {
          refused.complete(e);
        }
      }
    });

    Throwable e = refused.get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertTrue(e instanceof IllegalStateException, String.valueOf(e));
    assertTrue(e.getMessage().contains("termination waits for the listener's last call"), e.getMessage());
    assertTrue(pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS), "it terminates once the listener returns");
  }
}
