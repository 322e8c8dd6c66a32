package io.antpool.demo;

import io.antpool.client.AntPoolExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The seed's demo1 in Java: the sum 1 + 2 + ... + n, split into tasks that run on the pool's workers, done
 * three ways — futures in try-with-resources, completion callbacks, and {@code map} — each timed against a
 * serial run in this JVM. A run that takes more than a second shows a progress bar ({@link ConsoleProgress}),
 * fed by the executor's progress listener and by the tasks' own reports ({@link Ranges#sum}).
 *
 * <p>Usage: {@code Demo1 [ws://HOST:PORT] [n] [tasks]}. The worker JVMs need none of these classes: they are
 * fetched from this JVM as the tasks run.
 */
public final class Demo1 {
  private static final int RTYPE = Integer.getInteger("antpool.demo.rtype", 2);

  private Demo1() {
  }

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "ws://127.0.0.1:8086";
    long n = args.length > 1 ? Long.parseLong(args[1]) : 4_000_000_000L;
    int tasks = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    List<long[]> ranges = Ranges.split(n, tasks);
    long expected = Ranges.expectedSum(n);

    System.out.printf("demo1: sum of 1..%,d in %d tasks on %s%n", n, tasks, url);
    Ranges.sum(1, 50_000_000); // warm the JIT, as the pool is warmed below
    long start = System.nanoTime();
    long serialSum = Ranges.sum(1, n);
    long serialNanos = System.nanoTime() - start;
    report("serial", serialSum, expected, serialNanos, serialNanos);

    // 1. Futures, in try-with-resources: close() waits for every task.
    // Isolation mode 2 keeps one class loader per client session on each worker, so the JIT-compiled loop
    // survives from task to task; these tasks keep no static state, so nothing leaks between them. (Mode 0,
    // the default, gives a task a fresh loader whenever a class it uses can hold static state, as this class
    // can (RTYPE), and each such task starts in the interpreter again.)
    ConsoleProgress bar = ConsoleProgress.onStandardOutput();
    try (AntPoolExecutor pool = new AntPoolExecutor(url, 8, RTYPE)) {
      pool.setProgressListener(bar);
      warmUp(pool, ranges);
      bar.begin("futures", pool.taskCounts());
      start = System.nanoTime();
      List<Future<Long>> futures = new ArrayList<>();
      for (long[] r : ranges) {
        long from = r[0];
        long to = r[1];
        futures.add(pool.submit(() -> Ranges.sum(from, to)));
      }
      long sum = 0;
      for (Future<Long> f : futures) {
        sum += f.get();
      }
      long nanos = System.nanoTime() - start;
      bar.end();
      report("futures", sum, expected, nanos, serialNanos);

      // 2. Completion callbacks: each result is added as it arrives.
      bar.begin("callbacks", pool.taskCounts());
      start = System.nanoTime();
      AtomicLong total = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      CountDownLatch done = new CountDownLatch(ranges.size());
      for (long[] r : ranges) {
        long from = r[0];
        long to = r[1];
        CompletableFuture<Long> f = pool.submit(() -> Ranges.sum(from, to));
        f.whenComplete((value, error) -> {
          if (error != null) {
            failure.compareAndSet(null, error);
          } else {
            total.addAndGet(value);
          }
          done.countDown();
        });
      }
      done.await();
      nanos = System.nanoTime() - start;
      bar.end();
      if (failure.get() != null) {
        throw new IllegalStateException("a task failed", failure.get());
      }
      report("callbacks", total.get(), expected, nanos, serialNanos);

      // 3. map: one function over all the ranges, results in order.
      bar.begin("map", pool.taskCounts());
      start = System.nanoTime();
      long mapped = pool.map((long[] r) -> Ranges.sum(r[0], r[1]), ranges).mapToLong(Long::longValue).sum();
      nanos = System.nanoTime() - start;
      bar.end();
      report("map", mapped, expected, nanos, serialNanos);
    }
  }

  /** One small round first, so class shipping and JIT warm-up are not counted in the timings. */
  private static void warmUp(AntPoolExecutor pool, List<long[]> ranges) {
    List<CompletableFuture<Long>> warm = new ArrayList<>();
    for (int i = 0; i < ranges.size(); i++) {
      warm.add(pool.submit(() -> Ranges.sum(1, 50_000_000)));
    }
    warm.forEach(CompletableFuture::join);
  }

  private static void report(String way, long sum, long expected, long nanos, long serialNanos) {
    String verdict = sum == expected ? "correct" : "WRONG (expected " + expected + ")";
    System.out.printf("%-10s sum = %,d %s in %,d ms, speedup %.2fx against serial%n", way + ":", sum, verdict,
        nanos / 1_000_000, (double) serialNanos / nanos);
    if (sum != expected) {
      throw new IllegalStateException(way + " computed " + sum + " instead of " + expected);
    }
  }
}
