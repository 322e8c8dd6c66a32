package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.client.AntPoolExecutor;
import io.antpool.it.contract.Probes;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task that computes for {@value #TASK_MILLIS} ms without a pause (CPU only: no sleep, no I/O), nine times the
 * default liveness timeouts of the server ({@code peerTimeoutMillis}) and of the worker
 * ({@code serverTimeoutMillis}), both 10 s and left at their defaults here, is never taken for a dead worker: it
 * completes with its value, runs once, and its worker keeps its one registration throughout.
 * {@link LivenessIT} checks the same with a 1 s timeout and a 4 s task; {@code bench/run-long-task} runs one
 * for 10 minutes.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LongTaskIT {
  static final long TASK_MILLIS = 90_000;

  @Test
  void aTaskComputingForNinetySecondsCompletesOnceAndItsWorkerIsNeverDropped() throws Exception {
    try (ChildJvm server = Pool.server(); ChildJvm worker = Pool.worker(server, 1);
        AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server))) {
      long joinedAt = onlyWorker(server).getLong("connectedSince");
      long start = System.nanoTime();

      long pid = pool.submit(Probes.busyFor(TASK_MILLIS)).get(TASK_MILLIS + 120_000, TimeUnit.MILLISECONDS);

      double seconds = (System.nanoTime() - start) / 1e9;
      JsonObject status = Pool.status(server);
      JsonObject tasks = status.getJsonObject("tasks");
      System.out.printf("LongTaskIT: a %d s task completed after %.1f s; reruns %d, failed %d, slots %d%n",
          TASK_MILLIS / 1000, seconds, tasks.getLong("rerun"), tasks.getLong("failed"), status.getInteger("slots"));
      assertEquals(worker.pid(), pid, "the value, computed on the one worker");
      assertTrue(seconds * 1000 >= TASK_MILLIS, "it did compute that long");
      assertEquals(0L, tasks.getLong("rerun"), "never run again");
      assertEquals(0L, tasks.getLong("failed"));
      assertEquals(1L, tasks.getLong("completed"));
      assertEquals(joinedAt, onlyWorker(server).getLong("connectedSince"), "the same registration throughout");
      assertEquals(1, worker.countLines(Pattern.compile("joined")), "the worker never had to rejoin");
      assertFalse(server.output().contains(" left: "), "the server never dropped a worker:\n" + server.output());
    }
  }

  private static JsonObject onlyWorker(ChildJvm server) throws Exception {
    JsonObject status = Pool.status(server);
    assertEquals(1, status.getInteger("slots"), "one worker slot: " + status.encodePrettily());
    return status.getJsonArray("workers").getJsonObject(0);
  }
}
