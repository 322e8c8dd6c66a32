package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.client.AntPoolExecutor;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
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

        // Mid-run: the first worker is held by a gate task, ten more tasks wait in the queue, and only a
        // worker that joins now can run them. The gate opens (a file appears) once they are done.
        Path gate = Files.createTempFile("antpool-gate", ".flag");
        Files.delete(gate);
        String gatePath = gate.toString();
        CompletableFuture<Integer> held = pool.submit(() -> {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
          while (!java.nio.file.Files.exists(java.nio.file.Path.of(gatePath)) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
          }
          return -1;
        });
        Pool.awaitStatus(server, s -> s.getInteger("busySlots") == 1, Duration.ofSeconds(60));
        List<CompletableFuture<Integer>> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          int x = i;
          batch.add(pool.submit(() -> x * 2));
        }
        try (ChildJvm second = Pool.worker(server, 1)) {
          String secondName = Pool.slotNames(second).get(0);
          for (int i = 0; i < 10; i++) {
            assertEquals(i * 2, batch.get(i).get(60, TimeUnit.SECONDS));
          }
          assertFalse(held.isDone(), "the first worker was still held, so the late worker ran the batch");
          Files.createFile(gate);
          assertEquals(-1, held.get(60, TimeUnit.SECONDS));
          JsonObject status = Pool.status(server);
          long secondRan = status.getJsonArray("workers").stream().map(JsonObject.class::cast)
              .filter(w -> w.getString("name").equals(secondName))
              .mapToLong(w -> w.getLong("tasksRun")).sum();
          assertEquals(10, secondRan, "the worker that joined mid-run ran the batch: " + status.encodePrettily());
          assertEquals(0, status.getInteger("queueDepth"));
          assertFalse(status.getJsonArray("clients").isEmpty());
          JsonObject client = status.getJsonArray("clients").getJsonObject(0);
          assertEquals(31, client.getLong("submitted"));
          assertEquals(31, client.getLong("completed"));
        }
      }
    }
  }

  @Test
  void workersAndClientsWaitForTheServerAndComeBackAfterItRestarts() throws Exception {
    int port = Pool.freePort();
    String url = "ws://127.0.0.1:" + port;
    try (ChildJvm worker = Pool.workerFor(url, 1)) {
      // the worker starts first and keeps retrying with backoff
      try (ChildJvm server = Pool.server(port)) {
        Pool.awaitJoined(worker, 1);
      }
      // the server is gone (killed); the worker and a client wait for it to come back
      long joinsBefore = worker.countLines(Pool.JOINED);
      try (AntPoolExecutor pool = new AntPoolExecutor(url, 4, 0)) {
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          int x = i;
          futures.add(pool.submit(() -> x * 10));
        }
        try (ChildJvm restarted = Pool.server(port)) {
          for (int i = 0; i < 10; i++) {
            assertEquals(i * 10, futures.get(i).get(60, TimeUnit.SECONDS));
          }
          assertTrue(worker.countLines(Pool.JOINED) > joinsBefore, "the worker joined the restarted server");
          assertEquals(10, Pool.status(restarted).getJsonArray("clients").getJsonObject(0).getLong("completed"));
        }
      }
    }
  }
}
