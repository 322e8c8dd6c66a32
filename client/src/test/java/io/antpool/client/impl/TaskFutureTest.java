package io.antpool.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TaskFuture} answers {@code cancel}, {@code isCancelled}, {@code isDone} and {@code get} exactly as a
 * {@link FutureTask} does, and hands the first successful cancel (only that one) to its canceller.
 */
class TaskFutureTest {
  private final List<Boolean> cancels = new CopyOnWriteArrayList<>();
  private final TaskFuture<String> future = new TaskFuture<>(cancels::add);

  @ParameterizedTest(name = "cancel({0})")
  @ValueSource(booleans = {true, false})
  void theFirstCancelOfAPendingFutureWinsAndReachesTheTaskWithItsArgument(boolean interrupt) {
    FutureTask<String> reference = new FutureTask<>(() -> "never run");

    assertEquals(reference.cancel(interrupt), future.cancel(interrupt));
    assertEquals(List.of(interrupt), cancels);
    assertSameState(reference, future);
    assertThrows(CancellationException.class, future::get);
    assertThrows(CancellationException.class, () -> future.get(1, TimeUnit.SECONDS));
    assertThrows(CancellationException.class, future::join);
  }

  @Test
  void aSecondCancelReturnsFalseAndDoesNotReachTheTaskAgain() {
    FutureTask<String> reference = new FutureTask<>(() -> "never run");
    reference.cancel(true);
    future.cancel(true);

    assertEquals(reference.cancel(true), future.cancel(true));
    assertEquals(reference.cancel(false), future.cancel(false));
    assertEquals(List.of(true), cancels);
    assertSameState(reference, future);
  }

  @Test
  void aCompletedFutureCannotBeCancelled() throws Exception {
    FutureTask<String> reference = new FutureTask<>(() -> "value");
    reference.run();
    future.complete("value");

    assertEquals(reference.cancel(true), future.cancel(true));
    assertSameState(reference, future);
    assertEquals("value", future.get());
    assertTrue(cancels.isEmpty(), cancels.toString());
  }

  @Test
  void aFailedFutureCannotBeCancelled() {
    FutureTask<String> reference = new FutureTask<>(() -> {
      throw new IllegalStateException("boom");
    });
    reference.run();
    future.completeExceptionally(new IllegalStateException("boom"));

    assertEquals(reference.cancel(false), future.cancel(false));
    assertSameState(reference, future);
    assertThrows(ExecutionException.class, future::get);
    assertTrue(cancels.isEmpty(), cancels.toString());
  }

  @Test
  void aResultArrivingAfterTheCancelIsDiscarded() {
    future.cancel(false);

    assertFalse(future.complete("late"));
    assertTrue(future.isCancelled());
    assertThrows(CancellationException.class, future::join);
  }

  @Test
  void ofManyThreadsCancellingAtOnceExactlyOneWins() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      AtomicInteger winners = new AtomicInteger();
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        all.add(CompletableFuture.runAsync(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (future.cancel(true)) {
            winners.incrementAndGet();
          }
        }, pool));
      }
      go.countDown();
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

      assertEquals(1, winners.get());
      assertEquals(List.of(true), cancels);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void withNobodyWaitingTheOutcomeCompletesOnTheCompletionPoolNotOnTheNetworkThread() throws Exception {
    List<Runnable> pool = new ArrayList<>();
    AtomicInteger runs = new AtomicInteger();

    future.settle(() -> {
      runs.incrementAndGet();
      future.complete("value");
    }, pool::add);

    assertFalse(future.isDone(), "completed on the thread that settled it");
    assertEquals(1, pool.size());
    pool.get(0).run();
    assertEquals("value", future.getNow(null));
    assertEquals(1, runs.get());
  }

  @Test
  void aThreadBlockedInGetCompletesTheFutureItselfAndRunsItsDependents() throws Exception {
    List<Runnable> pool = new CopyOnWriteArrayList<>();
    CompletableFuture<Thread> dependentRanOn = new CompletableFuture<>();
    future.whenComplete((v, e) -> dependentRanOn.complete(Thread.currentThread()));
    CompletableFuture<Thread> completedOn = new CompletableFuture<>();
    CompletableFuture<String> got = new CompletableFuture<>();
    Thread waiter = new Thread(() -> {
      try {
        got.complete(future.get(30, TimeUnit.SECONDS));
      } catch (Exception e) {
        got.completeExceptionally(e);
      }
    }, "waiter");
    waiter.start();
    awaitWaiter(future);

    future.settle(() -> {
      completedOn.complete(Thread.currentThread());
      future.complete("value");
    }, pool::add);

    assertEquals("value", got.get(30, TimeUnit.SECONDS));
    assertEquals(waiter, completedOn.getNow(null));
    assertEquals(waiter, dependentRanOn.getNow(null));
    assertTrue(pool.isEmpty(), "handed to the pool although a thread waited");
  }

  @Test
  void theOutcomeIsAppliedOnceWhenTheCallerAndThePoolBothClaimIt() throws Exception {
    List<Runnable> pool = new ArrayList<>();
    AtomicInteger runs = new AtomicInteger();
    future.settle(() -> {
      runs.incrementAndGet();
      future.complete("value");
    }, pool::add);

    assertEquals("value", future.join()); // the caller came after the outcome: it claims it first
    pool.forEach(Runnable::run);

    assertEquals(1, runs.get());
  }

  @Test
  void aWaitThatTimesOutBeforeTheOutcomeLeavesItToThePool() throws Exception {
    List<Runnable> pool = new ArrayList<>();
    assertThrows(java.util.concurrent.TimeoutException.class, () -> future.get(1, TimeUnit.MILLISECONDS));

    future.settle(() -> future.complete("value"), pool::add);

    assertEquals(1, pool.size());
    pool.get(0).run();
    assertEquals("value", future.get(1, TimeUnit.SECONDS));
  }

  @Test
  void aFutureCancelledBeforeItsOutcomeStaysCancelledAndItsBookkeepingStillRuns() {
    List<Runnable> pool = new ArrayList<>();
    AtomicInteger runs = new AtomicInteger();
    future.cancel(false);

    future.settle(() -> {
      runs.incrementAndGet();
      future.complete("late");
    }, pool::add);
    pool.forEach(Runnable::run);

    assertThrows(CancellationException.class, future::get);
    assertEquals(1, runs.get());
  }

  /**
   * Waits (bounded) until a thread is counted as waiting in get: from then on, it completes the future itself
   * once the outcome arrives, whether or not it has parked yet.
   */
  private static void awaitWaiter(TaskFuture<?> future) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (future.waiters() == 0) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no thread entered get within 30 s");
      }
      Thread.onSpinWait();
    }
  }

  private static void assertSameState(Future<?> reference, Future<?> actual) {
    assertEquals(reference.isCancelled(), actual.isCancelled(), "isCancelled");
    assertEquals(reference.isDone(), actual.isDone(), "isDone");
  }
}
