package io.antpool.launcher;

import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Keeps a command's main thread alive until the JVM is asked to stop, then closes Vert.x cleanly. */
final class Blocking {
  private Blocking() {
  }

  static int untilShutdown(Vertx vertx) {
    CountDownLatch closed = new CountDownLatch(1);
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
    return 0;
  }
}
