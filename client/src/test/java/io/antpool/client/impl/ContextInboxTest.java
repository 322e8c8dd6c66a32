package io.antpool.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The inbox runs actions on its context in the order they were queued, many per event-loop task, takes actions
 * queued while it runs, keeps its order with tasks a caller schedules afterwards, and survives an action that
 * throws.
 */
class ContextInboxTest {
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final ContextInbox inbox = new ContextInbox(context);

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void actionsFromSeveralThreadsRunOnTheContextEachThreadsInOrder() throws Exception {
    int threads = 4;
    int each = 20_000;
    List<List<Integer>> seen = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      seen.add(new ArrayList<>()); // touched on the context only
    }
    AtomicInteger offContext = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(threads * each);
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      submitters.add(new Thread(() -> {
        for (int i = 0; i < each; i++) {
          int n = i;
          inbox.execute(() -> {
            if (Vertx.currentContext() != context) {
              offContext.incrementAndGet();
            }
            seen.get(thread).add(n);
            done.countDown();
          });
        }
      }));
    }
    submitters.forEach(Thread::start);

    assertTrue(done.await(30, TimeUnit.SECONDS), "every action ran");
    assertEquals(0, offContext.get(), "every action ran on the inbox's context");
    CompletableFuture<List<List<Integer>>> copy = new CompletableFuture<>();
    context.runOnContext(v -> copy.complete(List.copyOf(seen)));
    for (List<Integer> one : copy.get(30, TimeUnit.SECONDS)) {
      for (int i = 0; i < each; i++) {
        assertEquals(i, one.get(i), "one thread's actions run in the order it queued them");
      }
    }
  }

  @Test
  void actionsQueuedWhileOneWaitsRunInTheSameTaskAsItAndSoDoActionsTheyQueue() throws Exception {
    // the context is kept busy until every action is queued
    CountDownLatch queued = new CountDownLatch(1);
    context.runOnContext(v -> await(queued));
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<List<String>> done = new CompletableFuture<>();
    inbox.execute(() -> order.add("a0"));
    // a task scheduled after the first action: with a task per action, it would run second
    context.runOnContext(v -> done.complete(List.copyOf(order)));
    for (int i = 1; i < 100; i++) {
      int n = i;
      inbox.execute(() -> {
        order.add("a" + n);
        if (n == 99) {
          inbox.execute(() -> order.add("b"));
        }
      });
    }
    queued.countDown();

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add("a" + i);
    }
    expected.add("b");
    assertEquals(expected, done.get(30, TimeUnit.SECONDS), "the inbox's one task ran them all, in order");
  }

  @Test
  void aTaskScheduledAfterQueueingRunsAfterTheAction() throws Exception {
    for (int round = 0; round < 1_000; round++) {
      List<String> order = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<List<String>> done = new CompletableFuture<>();
      inbox.execute(() -> order.add("action"));
      context.runOnContext(v -> {
        order.add("task");
        done.complete(List.copyOf(order));
      });

      assertEquals(List.of("action", "task"), done.get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void anActionThatThrowsDoesNotStopTheOthers() throws Exception {
    CompletableFuture<String> after = new CompletableFuture<>();
    inbox.execute(() -> {
      throw new IllegalStateException("expected by the test");
    });
    inbox.execute(() -> after.complete("ran"));

    assertEquals("ran", after.get(30, TimeUnit.SECONDS));
    CompletableFuture<String> later = new CompletableFuture<>();
    inbox.execute(() -> later.complete("ran"));
    assertEquals("ran", later.get(30, TimeUnit.SECONDS), "the inbox still schedules itself afterwards");
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(30, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
