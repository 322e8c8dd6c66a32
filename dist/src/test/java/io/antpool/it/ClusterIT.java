package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.client.AntPoolExecutor;
import io.antpool.it.contract.Probes;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers that join the server's Vert.x cluster (Hazelcast, on loopback) take tasks on the clustered event bus,
 * beside a WebSocket worker of the same server; the scheduler treats both kinds alike, and classes are shipped
 * to clustered workers as to the others. A clustered worker JVM killed with {@code kill -9} is noticed through
 * cluster membership within 10 s, and its task runs again elsewhere.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private static Map<String, Long> kinds(JsonObject status) {
    return status.getJsonArray("workers").stream().map(JsonObject.class::cast)
        .collect(Collectors.groupingBy(w -> w.getString("kind"), Collectors.counting()));
  }

  /** The launcher's spelling: {@code bin/vertx run ... -cluster}, with the cluster configuration it is given. */
  @Test
  void vertxRunServerVerticleAndWorkerVerticleWithClusterFormOneCluster() throws Exception {
    Cluster cluster = Cluster.onLoopback(dir);
    Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", "-Xmx256m",
        "ANTPOOL_CLUSTER_CONF", cluster.conf().toString());
    try (ChildJvm server = ChildJvm.start("vertx-cluster-server", vertx("ServerVerticle", "-conf",
        "{\"host\": \"127.0.0.1\", \"port\": 0, \"verbose\": true}", "-cluster", "-cluster-host", "127.0.0.1"), dir, env);
        ChildJvm workers = ChildJvm.start("vertx-cluster-workers", vertx("WorkerVerticle", "-instances", "2",
            "-cluster", "-cluster-host", "127.0.0.1"), dir, env);
        AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server))) {
      Pool.awaitJoined(workers, 2);
      JsonObject status = Pool.awaitStatus(server, s -> s.getInteger("slots") == 2, WAIT);
      assertEquals(Map.of("clustered", 2L), kinds(status), status.encodePrettily());
      assertEquals(workers.pid(), pool.submit(Probes.busyFor(1)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS),
          "the task ran in the clustered worker JVM");
    }
  }

  /** A clustered server killed and started again: its clustered workers find it and register again. */
  @Test
  void clusteredWorkersRegisterAgainWithARestartedServer() throws Exception {
    Cluster cluster = Cluster.onLoopback(dir);
    ChildJvm first = cluster.server();
    try (ChildJvm workers = cluster.worker(2)) {
      Pool.awaitStatus(first, s -> s.getInteger("slots") == 2, WAIT);
      first.close(); // SIGKILL
      try (ChildJvm restarted = cluster.server(); AntPoolExecutor pool = new AntPoolExecutor(Pool.url(restarted))) {
        JsonObject status = Pool.awaitStatus(restarted, s -> s.getInteger("slots") == 2, WAIT);
        assertEquals(Map.of("clustered", 2L), kinds(status), status.encodePrettily());
        assertEquals(workers.pid(), pool.submit(Probes.busyFor(1)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(workers.countLines(java.util.regex.Pattern.compile("registering again")) >= 2,
            "each slot said why it registered again:\n" + workers.output());
      }
    } finally {
      first.close();
    }
  }

  private static List<String> vertx(String verticle, String... args) {
    List<String> cmd = new ArrayList<>(List.of("bash", Pool.home().resolve("bin").resolve("vertx").toString(), "run",
        verticle));
    cmd.addAll(List.of(args));
    return cmd;
  }

  @Test
  void clusteredAndWebSocketWorkersServeOneServerAndADeadClusteredWorkerIsNoticedByMembership() throws Exception {
    Cluster cluster = Cluster.onLoopback(dir);
    try (ChildJvm server = cluster.server(); ChildJvm a = cluster.workerOn("127.0.0.1", 1);
        ChildJvm b = cluster.workerOn("127.0.0.1", 1); ChildJvm ws = Pool.worker(server, 1);
        AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server))) {
      Pool.awaitJoined(a, 1);
      Pool.awaitJoined(b, 1);
      JsonObject status = Pool.awaitStatus(server, s -> s.getInteger("slots") == 3, WAIT);
      assertEquals(Map.of("clustered", 2L, "websocket", 1L), kinds(status), status.encodePrettily());

      // every slot takes a task whose classes come from this JVM: the clustered ones over the event bus
      Set<Long> pids = new HashSet<>(GatedTasks.occupy(pool, dir, List.of(a, b, ws)).release());
      assertEquals(Set.of(a.pid(), b.pid(), ws.pid()), pids, "each worker, of either kind, ran one task");

      Files.delete(dir.resolve("gate"));
      for (ChildJvm w : List.of(a, b, ws)) {
        Files.delete(dir.resolve("started-" + w.pid()));
      }
      GatedTasks second = GatedTasks.occupy(pool, dir, List.of(a, b, ws));
      a.close(); // kill -9 of a clustered worker JVM running a task
      // noticed through cluster membership (its connection closed, or 6 s of missed heartbeats in this test)
      JsonObject afterKill = Pool.awaitStatus(server, s -> s.getInteger("slots") == 2, Duration.ofSeconds(10));
      assertEquals(1L, afterKill.getJsonObject("tasks").getLong("rerun"), afterKill.encodePrettily());
      List<Long> values = second.release();
      assertTrue(Set.of(b.pid(), ws.pid()).containsAll(values), "every value comes from a live worker: " + values);
      assertEquals(3, values.size());
      assertEquals(0L, Pool.status(server).getJsonObject("tasks").getLong("failed"));
    }
  }
}
