package io.antpool.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Actions handed over while a run is queued join it: one event-loop task for a burst, in order. */
class HandOffTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aBurstRunsInTheRunAlreadyQueuedAheadOfLaterTasks() throws Exception {
    Context context = vertx.getOrCreateContext();
    HandOff handOff = new HandOff(context);
    List<String> ran = new ArrayList<>(); // touched on the context only
    CountDownLatch hold = new CountDownLatch(1);
    context.runOnContext(v -> {
      try {
        hold.await(30, TimeUnit.SECONDS); // holds the event loop while the test queues behind it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    handOff.run(() -> ran.add("a0")); // queues a run
    context.runOnContext(v -> ran.add("task")); // a task queued behind that run
    for (int i = 1; i <= 50; i++) {
      String name = "a" + i;
      handOff.run(() -> ran.add(name)); // joins the queued run: no task of its own, so ahead of "task"
    }
    CompletableFuture<List<String>> seen = new CompletableFuture<>();
    hold.countDown();
    handOff.run(() -> context.runOnContext(v -> seen.complete(List.copyOf(ran))));
    List<String> order = seen.get(30, TimeUnit.SECONDS);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i <= 50; i++) {
      expected.add("a" + i);
    }
    assertEquals(expected, order.subList(0, 51));
    assertTrue(order.indexOf("task") == 51, order.toString());
  }

  @Test
  void anActionThatThrowsDoesNotStrandTheOnesBehindIt() throws Exception {
    Context context = vertx.getOrCreateContext();
    HandOff handOff = new HandOff(context);
    CountDownLatch hold = new CountDownLatch(1);
    context.runOnContext(v -> {
      try {
        hold.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    CompletableFuture<String> after = new CompletableFuture<>();
    handOff.run(() -> {
      throw new IllegalStateException("expected by the test");
    });
    handOff.run(() -> after.complete("ran"));
    hold.countDown();
    assertEquals("ran", after.get(30, TimeUnit.SECONDS));
  }
}
