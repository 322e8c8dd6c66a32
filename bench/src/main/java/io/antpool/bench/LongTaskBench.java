package io.antpool.bench;

import io.antpool.client.AntPoolExecutor;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The long-task run ({@code bench/run-long-task}), the long version of the end-to-end test {@code LongTaskIT}:
 * one task computes without a pause (CPU only, no sleep, no I/O) for 10 minutes by default ({@code --minutes N})
 * on a one-slot worker, with the server's and worker's default liveness timeouts (10 s). It prints how long the
 * task took and the server's counts, and checks that the task completed with its value on its one worker, was
 * never rerun, and that the worker kept its registration (status API: the same {@code connectedSince}, checked
 * every 10 s while the task runs); exit status 1 otherwise.
 */
public final class LongTaskBench {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private LongTaskBench() {
  }

  public static void main(String[] args) throws Exception {
    double minutes = 10;
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--minutes" -> minutes = Double.parseDouble(args[++i]);
        case "--verbose", "-v" -> verbose = true;
        default -> {
          System.out.println("usage: bench/run-long-task [--minutes N (10; fractions allowed)] [--verbose]");
          System.exit("--help".equals(args[i]) || "-h".equals(args[i]) ? 0 : 2);
        }
      }
    }
    long taskMillis = (long) (minutes * 60_000);
    PrintStream out = System.out;
    try (LoopbackPool pool = LoopbackPool.start(FoundationBench.locateAntPoolJar(), 1, READY_TIMEOUT, verbose);
        AntPoolExecutor executor = new AntPoolExecutor(pool.url())) {
      ChildJvm worker = pool.workers().get(0);
      long joinedAt = onlyWorker(pool).getLong("connectedSince");
      out.printf("long task: one task computing for %.1f min on worker pid %d (liveness timeouts: defaults)%n",
          minutes, worker.pid());
      long start = System.nanoTime();
      CompletableFuture<Long> task = executor.submit(BenchTasks.pidAfter(taskMillis));
      List<String> problems = new ArrayList<>();
      while (!task.isDone()) {
        try {
          task.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException stillRunning) {
          JsonObject status = StatusApi.read(pool.url());
          boolean same = status.getInteger("slots") == 1 && onlyWorker(pool).getLong("connectedSince") == joinedAt;
          out.printf("  %.0f s: slots %d, busy %d, reruns %d%s%n", (System.nanoTime() - start) / 1e9,
              status.getInteger("slots"), status.getInteger("busySlots"),
              status.getJsonObject("tasks").getLong("rerun"), same ? "" : "  <- the worker was dropped");
          if (!same) {
            problems.add("the worker's registration changed while its task ran");
          }
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long pid = task.get();
      JsonObject counts = StatusApi.read(pool.url()).getJsonObject("tasks");
      out.printf("long task: completed after %.1f s (asked %.1f s) on pid %d; reruns %d, failed %d, completed %d%n",
          seconds, taskMillis / 1e3, pid, counts.getLong("rerun"), counts.getLong("failed"),
          counts.getLong("completed"));
      if (pid != worker.pid()) {
        problems.add("value " + pid + " is not the worker's pid " + worker.pid());
      }
      if (counts.getLong("rerun") != 0 || counts.getLong("failed") != 0 || counts.getLong("completed") != 1) {
        problems.add("the server reran or failed it");
      }
      if (onlyWorker(pool).getLong("connectedSince") != joinedAt) {
        problems.add("the worker rejoined");
      }
      out.println(problems.isEmpty() ? "long task: OK, never taken for a dead worker"
          : "long task: FAILED: " + String.join("; ", problems));
      if (!problems.isEmpty()) {
        System.exit(1);
      }
    }
  }

  private static JsonObject onlyWorker(LoopbackPool pool) throws Exception {
    JsonObject status = StatusApi.read(pool.url());
    if (status.getInteger("slots") != 1) {
      return new JsonObject().put("connectedSince", -1L);
    }
    return status.getJsonArray("workers").getJsonObject(0);
  }
}
