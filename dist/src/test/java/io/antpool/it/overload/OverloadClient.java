package io.antpool.it.overload;

import io.antpool.SerializableCallable;
import io.antpool.client.AntPoolExecutor;
import io.antpool.client.AntPoolOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The overloading client, run as a JVM of its own (with a bounded heap) by {@code OverloadIT}: submits
 * {@code count} tiny tasks one {@code submit} at a time, as fast as the executor takes them (its
 * {@code maxPending} back-pressure blocks {@code submit} when the client holds that many), with up to
 * {@code maxWorkers} in flight to the server. It keeps no future: each result is checked and counted by a
 * callback. Prints {@code progress N} every 50,000 results and {@code overload client done ...} at the end; exits
 * 0 only if every task completed once with its value.
 *
 * <p>Arguments: server URL, task count, maxWorkers.
 */
public final class OverloadClient {
  private OverloadClient() {
  }

  /** A tiny task; its value is {@code i + 1}, so each result is checked against its own task. */
  public static SerializableCallable<Long> tiny(long i) {
    return () -> i + 1;
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    long count = Long.parseLong(args[1]);
    int maxWorkers = Integer.parseInt(args[2]);
    AtomicLong completed = new AtomicLong();
    AtomicLong wrong = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    CountDownLatch all = new CountDownLatch(1);
    long start = System.nanoTime();
    try (AntPoolExecutor pool = new AntPoolExecutor(new AntPoolOptions().setUrl(url).setMaxWorkers(maxWorkers)
        .setName("overload-client"))) {
      System.out.println("overload client submitting " + count + " tasks, maxWorkers " + maxWorkers
          + ", maxPending " + AntPoolOptions.DEFAULT_MAX_PENDING);
      for (long i = 0; i < count; i++) {
        long expected = i + 1;
        pool.submit(tiny(i)).whenComplete((value, error) -> {
          if (error != null) {
            if (failed.incrementAndGet() == 1) {
              error.printStackTrace(System.out);
            }
          } else if (value != expected) {
            wrong.incrementAndGet();
          }
          long n = completed.incrementAndGet();
          if (n % 50_000 == 0) {
            System.out.println("progress " + n);
          }
          if (n == count) {
            all.countDown();
          }
        });
      }
      if (!all.await(30, TimeUnit.MINUTES)) {
        System.out.println("overload client gave up waiting: " + completed.get() + " of " + count);
        System.exit(2);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("overload client done: completed %d wrong %d failed %d in %.1f s (%.0f tasks/s)%n",
        completed.get(), wrong.get(), failed.get(), seconds, completed.get() / seconds);
    System.exit(completed.get() == count && wrong.get() == 0 && failed.get() == 0 ? 0 : 1);
  }
}
