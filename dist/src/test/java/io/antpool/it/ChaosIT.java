package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.client.AntPoolExecutor;
import io.antpool.it.chaos.ChaosTasks;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chaos: {@value #TASKS} tasks of known value run on three one-slot worker JVMs while a chaos thread kills a
 * random worker with SIGKILL ({@code kill -9}) at random moments and starts a replacement. Every future must
 * complete exactly once with its own value: none missing, none wrong, none duplicated, none failed.
 *
 * <p>The server runs with its defaults (a task fails after 3 lost attempts, peers silent for 10 s are dead): a
 * SIGKILL closes the worker's sockets in the kernel, so the server learns of the loss at once. Kills are at
 * least {@value #MIN_GAP_MILLIS} ms apart and only while another worker has joined, so a task lost with its
 * worker is dispatched again at once (it goes back to the head of its client's queue) and has ended long before
 * the next kill: no task can be lost three times, and a failure here is a bug, not bad luck. Losing a task
 * {@code maxAttempts} times is {@link PoisonTaskIT}'s subject.
 *
 * <p>Duplicates: a {@link CompletableFuture} cannot complete twice, so a second result for a task would show
 * elsewhere: as a wrong value for another task (each task's value is distinct), or in the server's counts
 * (every result the server hands a client counts as completed or failed; every submit as submitted). Both
 * must equal {@value #TASKS} and 0 exactly. The seed ({@code -Dchaos.seed=N} to replay) fixes the tasks'
 * lengths, the moments of the kills and the victims; the timing of the machine does the rest.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ChaosIT {
  static final int TASKS = 2_000;
  static final int WORKERS = 3;
  static final long MIN_GAP_MILLIS = 300;
  static final long MAX_GAP_MILLIS = 1_200;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern JOINED = Pattern.compile("AntPool worker \\S+ joined");

  @Test
  void everyTaskCompletesOnceWithItsValueWhileWorkersAreKilled() throws Exception {
    long seed = Long.getLong("chaos.seed", System.nanoTime());
    System.out.println("ChaosIT seed " + seed + " (replay with -Dchaos.seed=" + seed + ")");
    Random random = new Random(seed);
    List<ChildJvm> workers = new ArrayList<>();
    try (ChildJvm server = Pool.server(); AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server))) {
      for (int i = 0; i < WORKERS; i++) {
        workers.add(Pool.workerFor(Pool.url(server), 1)); // started together: a JVM takes seconds to start here
      }
      for (ChildJvm worker : workers) {
        Pool.awaitJoined(worker, 1);
      }
      AtomicIntegerArray completions = new AtomicIntegerArray(TASKS);
      AtomicInteger wrong = new AtomicInteger();
      AtomicReference<Throwable> firstFailure = new AtomicReference<>();
      List<CompletableFuture<Long>> futures = new ArrayList<>(TASKS);
      long started = System.nanoTime();
      Chaos chaos = new Chaos(server, workers, new Random(random.nextLong()));
      Thread chaosThread = new Thread(chaos, "chaos");
      chaosThread.start();
      try {
        for (int i = 0; i < TASKS; i++) {
          int index = i;
          CompletableFuture<Long> f = pool.submit(ChaosTasks.compute(i, 1 + random.nextInt(6)));
          f.whenComplete((value, error) -> {
            completions.incrementAndGet(index);
            if (error != null) {
              firstFailure.compareAndSet(null, error);
            } else if (value != ChaosTasks.expected(index)) {
              wrong.incrementAndGet();
            }
          });
          futures.add(f);
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
            .get(4, TimeUnit.MINUTES);
      } finally {
        chaos.stop();
        chaosThread.join(WAIT.toMillis());
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      JsonObject tasks = Pool.status(server).getJsonObject("tasks");
      int results = 0;
      for (int i = 0; i < TASKS; i++) {
        results += completions.get(i);
      }
      System.out.printf("ChaosIT: %d tasks in %.1f s, %d workers killed with SIGKILL (%d replacements started),"
          + " %d reruns, %d results (%d wrong), server: submitted %d, completed %d, failed %d%n", TASKS, seconds,
          chaos.kills, chaos.kills, tasks.getLong("rerun"), results, wrong.get(), tasks.getLong("submitted"),
          tasks.getLong("completed"), tasks.getLong("failed"));

      assertEquals(null, chaos.error.get(), "the chaos thread did its job");
      assertEquals(null, firstFailure.get(), "no task failed");
      for (int i = 0; i < TASKS; i++) {
        assertEquals(1, completions.get(i), "task " + i + " completed exactly once");
      }
      assertEquals(0, wrong.get(), "every value is its own task's");
      assertEquals(TASKS, tasks.getLong("submitted"), "the client sent every task once");
      assertEquals(TASKS, tasks.getLong("completed"), "the server answered every task once: no duplicate");
      assertEquals(0L, tasks.getLong("failed"), "the server failed nothing");
      // two kills fit in any run of 2.4 s or more (the first two need no replacement to join first); this machine
      // sees six or seven
      assertTrue(chaos.kills >= 2, "the chaos was real: " + chaos.kills + " kills");
      assertTrue(tasks.getLong("rerun") >= 1, "kills hit running tasks, which ran again");
    } finally {
      workers.forEach(ChildJvm::close);
    }
  }

  /**
   * Kills a random joined worker, at least {@link #MIN_GAP_MILLIS} ms after the previous kill and only while
   * another one has joined, and starts its replacement at once.
   */
  private static final class Chaos implements Runnable {
    private final ChildJvm server;
    private final List<ChildJvm> workers;
    private final Random random;
    private final CountDownLatch stopped = new CountDownLatch(1);
    final AtomicReference<Throwable> error = new AtomicReference<>();
    volatile int kills;

    Chaos(ChildJvm server, List<ChildJvm> workers, Random random) {
      this.server = server;
      this.workers = workers;
      this.random = random;
    }

    void stop() {
      stopped.countDown();
    }

    @Override
    public void run() {
      try {
        List<ChildJvm> alive = new ArrayList<>(workers);
        String url = Pool.url(server);
        while (!stopped.await(MIN_GAP_MILLIS + random.nextInt((int) (MAX_GAP_MILLIS - MIN_GAP_MILLIS)),
            TimeUnit.MILLISECONDS)) {
          List<ChildJvm> joined = alive.stream().filter(w -> w.countLines(JOINED) > 0).toList();
          if (joined.size() < 2) {
            // no worker would be left: let the oldest replacement join first
            Pool.awaitJoined(alive.stream().filter(w -> !joined.contains(w)).findFirst().orElseThrow(), 1);
            continue;
          }
          ChildJvm victim = joined.get(random.nextInt(joined.size()));
          assertTrue(Pool.status(server).getJsonArray("workers").stream()
              .anyMatch(w -> ((JsonObject) w).getLong("pid") == victim.pid()),
              "pid " + victim.pid() + " is a worker JVM the server knows");
          victim.kill();
          assertEquals(137, victim.awaitExit(WAIT), "the worker died of SIGKILL (128 + 9)");
          kills++;
          alive.remove(victim);
          ChildJvm replacement = Pool.workerFor(url, 1);
          workers.add(replacement); // read by the test thread only after this thread has ended
          alive.add(replacement);
        }
      } catch (Throwable t) {
        error.set(t);
      }
    }
  }
}
