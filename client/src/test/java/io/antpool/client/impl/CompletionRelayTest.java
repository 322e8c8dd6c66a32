package io.antpool.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay runs every action off the caller's thread, wakes one pool thread for a burst instead of one per
 * action, and still lets an action that blocks on a later one finish.
 */
class CompletionRelayTest {
  private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger handOffs = new AtomicInteger();
  private final Executor countingPool = r -> {
    handOffs.incrementAndGet();
    pool.execute(r);
  };

  @AfterEach
  void stop() {
    pool.shutdownNow();
    watch.shutdownNow();
  }

  @Test
  void aBurstIsTakenByTheThreadAlreadyRunningNotOneThreadPerAction() throws Exception {
    // a clock that never moves: no runner is ever added for a stall
    CompletionRelay relay = new CompletionRelay(countingPool, watch, STALL_NANOS, 0, () -> 0L);
    CountDownLatch release = new CountDownLatch(1);
    int actions = 1_000;
    CountDownLatch done = new CountDownLatch(actions);
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    relay.execute(() -> {
      await(release);
      threads.add(Thread.currentThread());
      done.countDown();
    });
    for (int i = 1; i < actions; i++) {
      relay.execute(() -> {
        threads.add(Thread.currentThread());
        done.countDown();
      });
    }
    release.countDown();

    assertTrue(done.await(30, TimeUnit.SECONDS));
    assertEquals(1, handOffs.get(), "one pool thread woken for the whole burst");
    assertEquals(1, threads.size());
    assertFalse(threads.contains(Thread.currentThread()));
  }

  @Test
  void anActionBlockedOnALaterActionIsRescuedByAnotherRunner() throws Exception {
    CompletionRelay relay = new CompletionRelay(countingPool, watch, STALL_NANOS, STALL_NANOS, System::nanoTime);
    CountDownLatch later = new CountDownLatch(1);
    CountDownLatch first = new CountDownLatch(1);
    relay.execute(() -> {
      await(later); // as a dependent action blocking on a future whose completion is queued behind it
      first.countDown();
    });
    relay.execute(later::countDown);

    assertTrue(first.await(30, TimeUnit.SECONDS), "the later action ran although the first blocked its runner");
    assertTrue(handOffs.get() >= 2);
  }

  @Test
  void anActionThatThrowsDoesNotStopTheOnesAfterIt() throws Exception {
    CompletionRelay relay = new CompletionRelay(countingPool, watch, STALL_NANOS, 0, () -> 0L);
    CountDownLatch after = new CountDownLatch(1);
    relay.execute(() -> {
      throw new IllegalStateException("thrown by a test action (expected)");
    });
    relay.execute(after::countDown);

    assertTrue(after.await(30, TimeUnit.SECONDS));
  }

  @Test
  void aRunnerThatLingersTakesTheActionsThatComeOneByOneWithoutAnotherHandOff() throws Exception {
    // lingering far longer than the test: every action after the first finds the runner parked, and wakes it
    CompletionRelay relay = new CompletionRelay(countingPool, watch, STALL_NANOS, TimeUnit.SECONDS.toNanos(60),
        () -> 0L);
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 200; i++) {
      CountDownLatch ran = new CountDownLatch(1);
      relay.execute(() -> {
        threads.add(Thread.currentThread());
        ran.countDown();
      });
      assertTrue(ran.await(30, TimeUnit.SECONDS));
    }

    assertEquals(1, handOffs.get(), "one pool thread for actions that came one at a time");
    assertEquals(1, threads.size());
  }

  @Test
  void runnersLeaveWhenTheQueueIsEmptyAndTheyHaveLingered() throws Exception {
    CompletionRelay relay = new CompletionRelay(countingPool, watch, STALL_NANOS, STALL_NANOS, System::nanoTime);
    CountDownLatch ran = new CountDownLatch(1);
    relay.execute(ran::countDown);
    assertTrue(ran.await(30, TimeUnit.SECONDS));
    pool.shutdown();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS)); // the runner's thread is free again

    assertEquals(0, relay.runners());
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("waited 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
