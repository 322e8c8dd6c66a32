package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.client.AntPoolExecutor;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tasks wait for workers instead of failing, and a worker that joins later gets work: the server's queue is
 * event driven, with real server and worker JVMs.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class QueueAndJoinIT {

  @Test
  void tasksSubmittedBeforeAnyWorkerRunWhenOneJoinsAndALateWorkerGetsWork() throws Exception {
    try (ChildJvm server = Pool.server();
        AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server), 20, 0)) {
      List<CompletableFuture<Integer>> early = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int x = i;
        early.add(pool.submit(() -> x + 1000));
      }
      JsonObject queued = Pool.awaitStatus(server, s -> s.getInteger("queueDepth") == 20, Duration.ofSeconds(60));
      assertEquals(0, queued.getJsonArray("workers").size());
      assertTrue(early.stream().noneMatch(CompletableFuture::isDone), "nothing can run without a worker");

      try (ChildJvm first = Pool.worker(server, 1)) {
        for (int i = 0; i < 20; i++) {
          assertEquals(i + 1000, early.get(i).get(60, TimeUnit.SECONDS));
        }

        // A long batch on one worker; a second worker joins while most of it still waits in the queue.
        List<CompletableFuture<Integer>> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          int x = i;
          batch.add(pool.submit(() -> {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // stands for 100 ms of work
            return x * 2;
          }));
        }
        batch.get(0).get(60, TimeUnit.SECONDS);
        try (ChildJvm second = Pool.worker(server, 1)) {
          String secondName = Pool.slotNames(second).get(0);
          for (int i = 0; i < 40; i++) {
            assertEquals(i * 2, batch.get(i).get(60, TimeUnit.SECONDS));
          }
          JsonObject status = Pool.status(server);
          long secondRan = status.getJsonArray("workers").stream().map(JsonObject.class::cast)
              .filter(w -> w.getString("name").equals(secondName))
              .mapToLong(w -> w.getLong("tasksRun")).sum();
          assertTrue(secondRan > 0, "the worker that joined mid-run ran no task: " + status.encodePrettily());
          assertEquals(0, status.getInteger("queueDepth"));
          assertFalse(status.getJsonArray("clients").isEmpty());
          JsonObject client = status.getJsonArray("clients").getJsonObject(0);
          assertEquals(60, client.getLong("submitted"));
          assertEquals(60, client.getLong("completed"));
        }
      }
    }
  }
}
