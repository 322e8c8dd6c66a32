package io.antpool.bench;

import io.antpool.client.AntPoolExecutor;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The long chaos run ({@code bench/run-chaos}), the long version of the end-to-end test {@code ChaosIT}: tasks
 * of known value (20,000 by default) on three one-slot worker JVMs while a chaos thread kills a random worker
 * with SIGKILL ({@code kill -9}) at random moments and starts a replacement. It prints the counts of kills,
 * reruns (the server's status API) and results, and checks that every task completed exactly once with its own
 * value and none failed; exit status 1 otherwise. The seed (printed; {@code --seed N} to replay) fixes the
 * tasks' lengths, the moments of the kills and the victims.
 *
 * <p>As in {@code ChaosIT}, the server runs with its defaults (3 attempts per task, 10 s liveness), and kills are
 * at least {@code --min-gap-ms} apart and only while another worker has joined, so a task lost with its worker
 * runs again at once elsewhere and cannot be lost three times.
 */
public final class ChaosBench {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private ChaosBench() {
  }

  public static void main(String[] args) throws Exception {
    int tasks = 20_000;
    int workers = 3;
    long minGap = 300;
    long maxGap = 1_200;
    int maxTaskMillis = 6;
    long seed = System.nanoTime();
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tasks" -> tasks = Integer.parseInt(args[++i]);
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--min-gap-ms" -> minGap = Long.parseLong(args[++i]);
        case "--max-gap-ms" -> maxGap = Long.parseLong(args[++i]);
        case "--task-ms" -> maxTaskMillis = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--verbose", "-v" -> verbose = true;
        default -> {
          System.out.println("usage: bench/run-chaos [--tasks N (20000)] [--workers N (3)] [--min-gap-ms N (300)]"
              + " [--max-gap-ms N (1200)] [--task-ms N: tasks compute 1..N ms (6)] [--seed N] [--verbose]");
          System.exit("--help".equals(args[i]) || "-h".equals(args[i]) ? 0 : 2);
        }
      }
    }
    if (workers < 2 || minGap < 1 || maxGap <= minGap || maxTaskMillis < 1 || tasks < 1) {
      throw new IllegalArgumentException("need --workers >= 2, 0 < --min-gap-ms < --max-gap-ms, --task-ms >= 1");
    }
    PrintStream out = System.out;
    out.println("chaos: " + tasks + " tasks, " + workers + " workers, a kill every " + minGap + ".." + maxGap
        + " ms, seed " + seed + " (replay with --seed " + seed + ")");
    Random random = new Random(seed);
    Path jar = FoundationBench.locateAntPoolJar();
    try (LoopbackPool pool = LoopbackPool.start(jar, workers, READY_TIMEOUT, verbose);
        AntPoolExecutor executor = new AntPoolExecutor(pool.url())) {
      AtomicIntegerArray completions = new AtomicIntegerArray(tasks);
      AtomicLong wrong = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      AtomicLong done = new AtomicLong();
      Chaos chaos = new Chaos(pool, new Random(random.nextLong()), minGap, maxGap);
      Thread chaosThread = new Thread(chaos, "chaos");
      long start = System.nanoTime();
      chaosThread.start();
      List<CompletableFuture<Long>> futures = new ArrayList<>(tasks);
      try {
        for (int i = 0; i < tasks; i++) {
          int index = i;
          CompletableFuture<Long> f = executor.submit(BenchTasks.valueAfter(i, 1 + random.nextInt(maxTaskMillis)));
          f.whenComplete((value, error) -> {
            completions.incrementAndGet(index);
            if (error != null) {
              if (failed.incrementAndGet() == 1) {
                error.printStackTrace(out);
              }
            } else if (value != BenchTasks.expected(index)) {
              wrong.incrementAndGet();
            }
            long n = done.incrementAndGet();
            if (n % 2_000 == 0) {
              out.printf("  %,d results, %d kills, %.0f s%n", n, chaos.kills, (System.nanoTime() - start) / 1e9);
            }
          });
          futures.add(f);
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
            .get(1, TimeUnit.HOURS);
      } finally {
        chaos.stop();
        chaosThread.join(READY_TIMEOUT.toMillis());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      JsonObject counts = StatusApi.read(pool.url()).getJsonObject("tasks");
      long once = 0;
      long results = 0;
      for (int i = 0; i < tasks; i++) {
        results += completions.get(i);
        once += completions.get(i) == 1 ? 1 : 0;
      }
      out.printf("chaos: %d tasks in %.1f s; kills %d (SIGKILL, each worker replaced), reruns %d, results %d"
          + " (completed once %d, wrong %d, failed %d); server: submitted %d, completed %d, failed %d%n", tasks,
          seconds, chaos.kills, counts.getLong("rerun"), results, once, wrong.get(), failed.get(),
          counts.getLong("submitted"), counts.getLong("completed"), counts.getLong("failed"));
      List<String> problems = new ArrayList<>();
      if (chaos.error.get() != null) {
        problems.add("the chaos thread failed: " + chaos.error.get());
      }
      if (once != tasks || results != tasks) {
        problems.add((tasks - once) + " tasks did not complete exactly once");
      }
      if (wrong.get() != 0 || failed.get() != 0) {
        problems.add(wrong.get() + " wrong values, " + failed.get() + " failed tasks");
      }
      if (counts.getLong("submitted") != tasks || counts.getLong("completed") != tasks
          || counts.getLong("failed") != 0) {
        problems.add("the server's counts differ from " + tasks + " submitted, " + tasks + " completed, 0 failed");
      }
      out.println(problems.isEmpty() ? "chaos: OK, every task completed once with its own value"
          : "chaos: FAILED: " + String.join("; ", problems));
      if (!problems.isEmpty()) {
        System.exit(1);
      }
    }
  }

  /**
   * Kills a random joined worker at least {@code minGap} ms after the previous kill, only while another one has
   * joined, and starts its replacement at once.
   */
  private static final class Chaos implements Runnable {
    private final LoopbackPool pool;
    private final Random random;
    private final long minGap;
    private final long maxGap;
    private final CountDownLatch stopped = new CountDownLatch(1);
    final AtomicReference<Throwable> error = new AtomicReference<>();
    volatile int kills;

    Chaos(LoopbackPool pool, Random random, long minGap, long maxGap) {
      this.pool = pool;
      this.random = random;
      this.minGap = minGap;
      this.maxGap = maxGap;
    }

    void stop() {
      stopped.countDown();
    }

    @Override
    public void run() {
      try {
        List<ChildJvm> alive = new ArrayList<>(pool.workers());
        while (!stopped.await(minGap + (long) (random.nextDouble() * (maxGap - minGap)), TimeUnit.MILLISECONDS)) {
          List<ChildJvm> joined = alive.stream().filter(ChildJvm::isReady).toList();
          if (joined.size() < 2) {
            alive.stream().filter(w -> !w.isReady()).findFirst().orElseThrow().awaitReady(READY_TIMEOUT);
            continue;
          }
          ChildJvm victim = joined.get(random.nextInt(joined.size()));
          boolean known = StatusApi.read(pool.url()).getJsonArray("workers").stream()
              .anyMatch(w -> ((JsonObject) w).getLong("pid") == victim.pid());
          if (!known) {
            throw new IllegalStateException("pid " + victim.pid() + " is not a worker JVM the server knows");
          }
          int status = victim.kill(Duration.ofSeconds(30));
          if (status != 137) {
            throw new IllegalStateException(victim.label() + " ended with " + status + ", not 137 (SIGKILL)");
          }
          kills++;
          alive.remove(victim);
          alive.add(pool.startWorker());
        }
      } catch (Throwable t) {
        error.set(t);
      }
    }
  }
}
