package io.antpool.bench;

import io.antpool.client.AntPoolClient;
import io.antpool.client.AntPoolOptions;
import io.antpool.config.NativeTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A JVM of many AntPool clients for {@code bench/run-scale}: connects {@code CLIENTS} {@link AntPoolClient}s
 * (sharing one Vert.x), each keeping {@code WINDOW} trivial tasks in flight ({@code maxWorkers} = window: a new
 * one is submitted as soon as one completes); after {@code WARMUP} seconds it counts the tasks completed during
 * {@code SECONDS} seconds, then stops submitting, waits for the tasks in flight and stays connected, idle, until
 * it is stopped. Its lines, which the harness reads:
 *
 * <pre>
 * clients connected: CLIENTS in MS ms
 * measuring
 * measured TASKS tasks in NANOS ns; slowest second TASKS, fastest TASKS
 * clients idle
 * </pre>
 *
 * A failed task ends the JVM with {@code task failed: ...} and exit code 1: the figure would be a lie.
 * The simulated workers answer every task with 0, so the values are not checked.
 *
 * <p>Usage: {@code ScaleClients WS_URL CLIENTS WINDOW WARMUP SECONDS}.
 */
public final class ScaleClients {
  private static final long CONNECT_TIMEOUT_SECONDS = 60;
  private static final long DRAIN_TIMEOUT_SECONDS = 60;

  private final LongAdder completed = new LongAdder();
  private final AtomicLong inFlight = new AtomicLong();
  private final CountDownLatch drained = new CountDownLatch(1);
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CountDownLatch failed = new CountDownLatch(1);

  private ScaleClients() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: ScaleClients WS_URL CLIENTS WINDOW WARMUP_SECONDS SECONDS");
      System.exit(2);
    }
    String url = args[0];
    int clients = Integer.parseInt(args[1]);
    int window = Integer.parseInt(args[2]);
    int warmUp = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    new ScaleClients().run(url, clients, window, warmUp, seconds);
  }

  private void run(String url, int clients, int window, int warmUp, int seconds) throws Exception {
    Vertx vertx = NativeTransport.vertx();
    long t0 = System.nanoTime();
    List<Future<AntPoolClient>> connecting = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      connecting.add(AntPoolClient.connect(vertx, new AntPoolOptions().setUrl(url).setMaxWorkers(window)
          .setName("scale-client-" + (i + 1))));
    }
    Future.all(connecting).await(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    // Stopped (SIGTERM), the clients leave as a program that closes its pool does: their sessions end at once.
    // Without it the server took them for dropped and ended them a grace period (30 s) later, while the next
    // phase ran, each end going to every worker then connected: with 10,000, a million frames at once.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      List<Future<Void>> closing = new ArrayList<>();
      connecting.forEach(client -> closing.add(client.result().close()));
      try {
        Future.join(closing).await(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the process is ending anyway; the server then ends the sessions after its grace period
      }
    }, "scale-clients-close"));
    System.out.println("clients connected: " + clients + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");

    for (Future<AntPoolClient> client : connecting) {
      for (int i = 0; i < window; i++) {
        submit(client.result(), i);
      }
    }
    if (failed.await(warmUp, TimeUnit.SECONDS)) {
      fail();
    }
    long tasks0 = completed.sum();
    long start = System.nanoTime();
    System.out.println("measuring");
    long slowest = Long.MAX_VALUE;
    long fastest = 0;
    long before = tasks0;
    for (int s = 0; s < seconds; s++) { // second by second: how much the rate wanders on a shared machine
      if (failed.await(1, TimeUnit.SECONDS)) {
        fail();
      }
      long now = completed.sum();
      slowest = Math.min(slowest, now - before);
      fastest = Math.max(fastest, now - before);
      before = now;
    }
    long tasks = completed.sum() - tasks0;
    long elapsed = System.nanoTime() - start;
    System.out.println("measured " + tasks + " tasks in " + elapsed + " ns; slowest second " + slowest
        + ", fastest " + fastest);

    running.set(false);
    if (inFlight.get() == 0) {
      drained.countDown();
    }
    boolean idle = drained.await(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (failure.get() != null) {
      fail();
    }
    System.out.println(idle ? "clients idle"
        : "clients idle, " + inFlight.get() + " tasks still in flight after " + DRAIN_TIMEOUT_SECONDS + " s");
    new CountDownLatch(1).await(); // connected, idle, until stopped
  }

  /** Submits one trivial task on {@code client}, and the next one when it completes. */
  private void submit(AntPoolClient client, int x) {
    inFlight.incrementAndGet();
    client.submit(BenchTasks.twice(x)).onComplete(ar -> {
      if (inFlight.decrementAndGet() == 0 && !running.get()) {
        drained.countDown();
      }
      if (ar.failed()) {
        if (failure.compareAndSet(null, ar.cause())) {
          failed.countDown();
        }
        return;
      }
      completed.increment();
      if (running.get()) {
        submit(client, x + 1);
      }
    });
  }

  private void fail() {
    System.out.println("task failed: " + failure.get());
    System.exit(1);
  }
}
