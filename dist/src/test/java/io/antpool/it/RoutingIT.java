package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.client.AntPoolExecutor;
import io.antpool.client.AntPoolOptions;
import io.antpool.client.TaskOptions;
import io.antpool.client.WorkerResult;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Routing with real JVMs on loopback: a worker {@code --tag region=eu --name eu} with one slot and a worker
 * {@code --tag region=us --name us} with two. A task tells which worker ran it by returning its JVM's command
 * line ({@code sun.java.command}, which holds {@code --name}). Checks: tasks requiring region=eu run only on the
 * eu worker; a task whose tags no worker carries waits in the queue, without holding up the tasks behind it,
 * until a worker with them joins; a broadcast answers once per slot, naming each; the status API shows tags.
 *
 * <p>Spread is not checked here: every worker on loopback has the same address (127.0.0.1), so there is one
 * host; SchedulerTest checks it with slots of different remote addresses.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RoutingIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static ChildJvm server;
  private static ChildJvm eu;
  private static ChildJvm us;
  private static AntPoolExecutor pool;

  @BeforeAll
  static void start() throws Exception {
    server = Pool.server();
    eu = Pool.worker(server, 1, "--tag", "region=eu", "--name", "eu");
    us = Pool.worker(server, 2, "--tag", "region=us", "--tag", "ssd", "--name", "us");
    pool = new AntPoolExecutor(new AntPoolOptions().setUrl(Pool.url(server)).setMaxWorkers(16));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {pool, us, eu, server}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  @Test
  void tasksRequiringRegionEuRunOnlyOnTheEuWorker() throws Exception {
    List<CompletableFuture<String>> runs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      runs.add(pool.submit(() -> System.getProperty("sun.java.command"), TaskOptions.requireTags("region=eu")));
    }
    for (CompletableFuture<String> run : runs) {
      String commandLine = run.get(60, TimeUnit.SECONDS);
      assertTrue(commandLine.contains("--name eu"), "ran on " + commandLine);
    }
    String onUs = pool.submit(() -> System.getProperty("sun.java.command"),
        TaskOptions.requireTags("region=us", "ssd")).get(60, TimeUnit.SECONDS);
    assertTrue(onUs.contains("--name us"), "ran on " + onUs);
  }

  @Test
  void theStatusApiShowsEachWorkersTags() throws Exception {
    JsonObject status = Pool.status(server);
    Map<String, JsonObject> tagsByName = new java.util.HashMap<>();
    status.getJsonArray("workers").stream().map(JsonObject.class::cast)
        .forEach(w -> tagsByName.put(w.getString("name"), w.getJsonObject("tags")));

    assertEquals(new JsonObject().put("region", "eu"), tagsByName.get("eu#1"), status.encodePrettily());
    assertEquals(new JsonObject().put("region", "us").put("ssd", ""), tagsByName.get("us#2"),
        status.encodePrettily());
  }

  @Test
  void aBroadcastAnswersOncePerSlotNamingEachWorker() throws Exception {
    List<WorkerResult<String>> results = pool.broadcast(() -> System.getProperty("sun.java.command"))
        .get(60, TimeUnit.SECONDS);

    List<String> workers = results.stream().map(WorkerResult::worker).sorted().toList();
    assertEquals(List.of("eu#1", "us#1", "us#2"), workers, "one result per connected slot: " + results);
    for (WorkerResult<String> r : results) {
      assertTrue(r.succeeded(), r.toString());
      String name = r.worker().substring(0, r.worker().indexOf('#'));
      assertTrue(r.get().contains("--name " + name), r.worker() + " answered from " + r.get());
    }
    List<WorkerResult<String>> perHost = pool.broadcastPerHost(() -> "hi").get(60, TimeUnit.SECONDS);
    assertEquals(1, perHost.size(), "every worker is on 127.0.0.1, one host: " + perHost);
  }

  @Test
  void aTaskNoWorkerCanRunWaitsUntilAMatchingWorkerJoinsWithoutHoldingUpOthers() throws Exception {
    CompletableFuture<String> waiting = pool.submit(() -> System.getProperty("sun.java.command"),
        TaskOptions.requireTags("region=ap"));
    Pool.awaitStatus(server, s -> s.getInteger("queueDepth") == 1, WAIT);

    assertEquals(42, pool.submit(() -> 42).get(60, TimeUnit.SECONDS), "a task behind the waiting one runs");
    assertFalse(waiting.isDone(), "no worker carries region=ap yet");

    try (ChildJvm ap = Pool.worker(server, 1, "--tag", "region=ap", "--name", "ap")) {
      String ranOn = waiting.get(60, TimeUnit.SECONDS);
      assertTrue(ranOn.contains("--name ap"), "ran on " + ranOn);
    }
    Pool.awaitStatus(server, s -> s.getInteger("slots") == 3, WAIT); // the other tests count 3 slots
  }
}
