package io.antpool.server.impl;

import io.vertx.core.Context;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test's calls on one Vert.x context and waits for each: the server's parts are confined to their event
 * loop, so a test calls them there.
 */
final class OnContext {
  private OnContext() {
  }

  /** Runs {@code action} on {@code context} and returns its value, or throws what it threw. */
  static <T> T call(Context context, long waitSeconds, Callable<T> action) throws Exception {
    CompletableFuture<T> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        done.complete(action.call());
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    });
    return done.get(waitSeconds, TimeUnit.SECONDS);
  }

  /** Runs {@code action} on {@code context} and waits for it to end. */
  static void run(Context context, long waitSeconds, Runnable action) throws Exception {
    call(context, waitSeconds, () -> {
      action.run();
      return null;
    });
  }
}
