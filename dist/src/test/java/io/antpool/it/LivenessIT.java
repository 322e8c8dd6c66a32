package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.client.AntPoolExecutor;
import io.antpool.it.contract.Probes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server tells a dead worker from a busy one by pings, never by task progress (server option
 * {@code peerTimeoutMillis}, here 1 s): a worker whose connection goes silent (its network frozen by a relay
 * that keeps the TCP connection open, as when a machine loses power) is dropped and its task runs again on
 * another worker; a worker computing without a pause for several times the timeout is not.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LivenessIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private ChildJvm server() throws Exception {
    Path conf = dir.resolve("server.json");
    Files.writeString(conf, "{\"peerTimeoutMillis\": 1000}");
    return Pool.server(conf);
  }

  @Test
  void aWorkerGoneSilentIsDroppedAndItsTaskRunsAgainElsewhereCompletingOnce() throws Exception {
    try (ChildJvm server = server(); FreezingProxy proxy = new FreezingProxy(Pool.port(server));
        ChildJvm silent = Pool.workerFor("ws://127.0.0.1:" + proxy.port(), 1);
        AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server))) {
      Pool.awaitJoined(silent, 1);
      CompletableFuture<Long> task = pool.submit(Probes.pidAfterGate(dir.toString()));
      awaitFile("started-" + silent.pid());
      try (ChildJvm healthy = Pool.worker(server, 1)) {
        proxy.freeze();

        awaitFile("started-" + healthy.pid()); // the server dropped the silent worker and ran the task again
        Pool.awaitStatus(server, s -> s.getInteger("slots") == 1, WAIT);
        Files.writeString(dir.resolve("gate"), "");

        assertEquals(healthy.pid(), task.get(WAIT.toMillis(), TimeUnit.MILLISECONDS),
            "the value comes from the second run, and the future completes once");
        assertEquals(1L, Pool.status(server).getJsonObject("tasks").getLong("rerun"), "one rerun");
      }
    }
  }

  @Test
  void aWorkerComputingForSeveralTimesTheTimeoutIsNotMistakenForADeadOne() throws Exception {
    try (ChildJvm server = server(); ChildJvm busy = Pool.worker(server, 1);
        AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server))) {
      long pid = pool.submit(Probes.busyFor(4_000)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

      assertEquals(busy.pid(), pid);
      assertEquals(0L, Pool.status(server).getJsonObject("tasks").getLong("rerun"), "never rerun");
      assertEquals(1, Pool.status(server).getInteger("slots"), "the busy worker is still connected");
      assertTrue(busy.countLines(java.util.regex.Pattern.compile("joined")) == 1, "it never had to rejoin");
    }
  }

  /** The other way round: a worker finds a silent server by its own pings, and reconnects. */
  @Test
  void aWorkerFindsASilentServerByItsPingsAndReconnects() throws Exception {
    Path conf = dir.resolve("worker.json");
    Files.writeString(conf, "{\"serverTimeoutMillis\": 1000}");
    try (ChildJvm server = server(); FreezingProxy proxy = new FreezingProxy(Pool.port(server));
        ChildJvm worker = Pool.workerFor("ws://127.0.0.1:" + proxy.port(), 1, "--conf", conf.toString())) {
      Pool.awaitJoined(worker, 1);

      proxy.freeze();

      worker.awaitLine(java.util.regex.Pattern.compile("sent nothing, not even a pong, for 1000 ms: reconnecting"),
          WAIT);
    }
  }

  private void awaitFile(String name) throws InterruptedException {
    Pool.awaitFile(dir.resolve(name), WAIT);
  }
}
