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

  private static void assertSameState(Future<?> reference, Future<?> actual) {
    assertEquals(reference.isCancelled(), actual.isCancelled(), "isCancelled");
    assertEquals(reference.isDone(), actual.isDone(), "isDone");
  }
}
