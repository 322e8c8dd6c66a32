package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.antpool.client.AntPoolExecutor;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool across hosts: the server on this machine, two clustered workers and one WebSocket worker each on a
 * host of its own (network namespaces on a bridge, every JVM on its own address). Cutting a clustered worker's
 * link (no close, only silence) drops it once Hazelcast misses its heartbeats, and its task runs elsewhere.
 * Needs root for {@code ip netns}; where that is unavailable the test is skipped, saying why.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class NetworkHostsIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  @Test
  void workersOnOtherHostsServeTheServerAndACutWorkersTaskRunsElsewhere() throws Exception {
    String why = NetHosts.unavailable();
    if (why != null) {
      System.out.println("NetworkHostsIT skipped: " + why);
    }
    assumeTrue(why == null, why);
    try (NetHosts hosts = NetHosts.create(3)) {
      Cluster cluster = Cluster.on(dir, hosts.address(0), List.of(hosts.address(0), hosts.address(1),
          hosts.address(2)));
      try (ChildJvm server = cluster.server();
          ChildJvm a = cluster.workerOn(hosts.address(1), 1, hosts.on(1));
          ChildJvm b = cluster.workerOn(hosts.address(2), 1, hosts.on(2));
          ChildJvm ws = Pool.workerFor(hosts.on(3), "ws://" + hosts.address(0) + ":" + Pool.port(server), 1);
          AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server))) {
        for (ChildJvm w : List.of(a, b, ws)) {
          Pool.awaitJoined(w, 1);
        }
        JsonObject status = Pool.awaitStatus(server, s -> s.getInteger("slots") == 3, WAIT);
        List<String> ips = status.getJsonArray("workers").stream().map(JsonObject.class::cast)
            .map(w -> w.getString("kind") + "@" + w.getString("ip")).sorted().toList();
        assertEquals(List.of("clustered@" + hosts.address(1), "clustered@" + hosts.address(2),
            "websocket@" + hosts.address(3)), ips, status.encodePrettily());

        GatedTasks tasks = GatedTasks.occupy(pool, dir, List.of(a, b, ws));
        hosts.cut(1);
        JsonObject afterCut = Pool.awaitStatus(server, s -> s.getInteger("slots") == 2, Duration.ofSeconds(30));
        assertEquals(1L, afterCut.getJsonObject("tasks").getLong("rerun"), afterCut.encodePrettily());
        List<Long> values = tasks.release();
        assertTrue(Set.of(b.pid(), ws.pid()).containsAll(values), "the cut worker's task ran elsewhere: " + values);
      }
    }
  }
}
