package io.antpool.launcher;

import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Keeps a command's main thread alive until the JVM is asked to stop, then closes Vert.x cleanly. */
final class Blocking {
  private Blocking() {
  }

  static int untilShutdown(Vertx vertx) {
    return untilShutdown(vertx, new CompletableFuture<>());
  }

  /**
   * As {@link #untilShutdown(Vertx)}, or until {@code fatal} completes with a message: then the message goes to
   * standard error, Vert.x is closed and the exit code is 3.
   */
  static int untilShutdown(Vertx vertx, CompletableFuture<String> fatal) {
    CountDownLatch closed = new CountDownLatch(1);
    fatal.thenAccept(message -> closed.countDown());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the JVM is going away anyway
      }
      closed.countDown();
    }, "antpool-shutdown"));
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String message = fatal.getNow(null);
    if (message == null) {
      return 0;
    }
    System.err.println(message);
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // exiting anyway
    }
    return 3;
  }
}
