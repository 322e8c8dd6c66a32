package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.client.AntPoolExecutor;
import io.antpool.it.reconnect.RunOnce;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server killed ({@code kill -9}) while tasks run and wait, then restarted on its port: workers and the
 * client reconnect by themselves with backoff; the client submits again every task not yet completed (the new
 * server knows nothing of them), and every future completes once, with its value.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServerRestartIT {
  private static final int TASKS = 40;

  @Test
  void afterAKillAndARestartEveryFutureCompletesOnceWithItsValue() throws Exception {
    int port = Pool.freePort();
    String url = "ws://127.0.0.1:" + port;
    ChildJvm first = Pool.server(port);
    try (ChildJvm workers = Pool.workerFor(url, 2); AntPoolExecutor pool = new AntPoolExecutor(url)) {
      Pool.awaitJoined(workers, 2);
      AtomicInteger completions = new AtomicInteger();
      AtomicInteger failures = new AtomicInteger();
      List<CompletableFuture<Long>> futures = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        CompletableFuture<Long> f = pool.submit(RunOnce.squareAfter(150, i));
        f.whenComplete((v, e) -> (e == null ? completions : failures).incrementAndGet());
        futures.add(f);
      }
      try {
        Pool.awaitStatus(first, s -> s.getJsonObject("tasks").getLong("completed") >= 6,
            java.time.Duration.ofSeconds(60));
      } finally {
        first.close(); // SIGKILL: tasks are running on both workers and queued behind them
      }
      int doneBeforeKill = completions.get();
      assertTrue(doneBeforeKill < TASKS, "the kill hit the run with tasks still open: " + doneBeforeKill);

      try (ChildJvm restarted = Pool.server(port)) {
        for (int i = 0; i < TASKS; i++) {
          assertEquals((long) i * i, futures.get(i).get(60, TimeUnit.SECONDS), "task " + i);
        }
        assertEquals(TASKS, completions.get(), "every future completed once");
        assertEquals(0, failures.get());
        Pool.awaitStatus(restarted, s -> s.getInteger("slots") == 2, java.time.Duration.ofSeconds(60));
        long resubmitted = Pool.status(restarted).getJsonArray("clients").getJsonObject(0).getLong("submitted");
        assertEquals(TASKS - doneBeforeKill, resubmitted, "the client submitted again exactly what had not"
            + " completed");
        System.out.printf("server restart: %d of %d tasks completed before the kill, %d submitted again%n",
            doneBeforeKill, TASKS, resubmitted);
      }
    }
  }
}
