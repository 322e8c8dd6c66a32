package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.antpool.client.AntPoolExecutor;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python clients of the original protocol (v1) against the real server: resource clients and task clients
 * written in Python from shared/protocol-v1-legacy.md ({@code src/test/python}, on Debian's python3-tornado),
 * as the original antpoolclient and AntPoolExecutor behave on the wire.
 */
class PythonClientsIT {
  /** Debian's interpreter, where python3-tornado is installed (.ci/run installs it). */
  private static final String PYTHON = "/usr/bin/python3";
  private static final Path SCRIPTS = Path.of("src", "test", "python");
  private static final Pattern REGISTERED = Pattern.compile("^registered (\\d+)$");
  private static final Duration RUN = Duration.ofSeconds(120);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  @BeforeAll
  static void pythonWithTornado() throws Exception {
    Process check = new ProcessBuilder(PYTHON, "-c", "import tornado").redirectErrorStream(true).start();
    String output = new String(check.getInputStream().readAllBytes());
    if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
      fail(PYTHON + " cannot import tornado, which the Python test peers need: install it with `apt-get install"
          + " python3-tornado` (.ci/run does); " + output);
    }
  }

  private static ChildJvm resourceClient(ChildJvm server, int cpu, String... options) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PYTHON, SCRIPTS.resolve("v1_resource_client.py").toString(),
        Pool.url(server), "--cpu", Integer.toString(cpu)));
    cmd.addAll(List.of(options));
    ChildJvm peer = ChildJvm.start("python-resource-" + COUNTER.incrementAndGet(), cmd, null, Map.of());
    peer.awaitLine(REGISTERED, Pool.START);
    return peer;
  }

  private static ChildJvm taskClient(ChildJvm server, String... scenario) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PYTHON, SCRIPTS.resolve("v1_task_client.py").toString(),
        Pool.url(server)));
    cmd.addAll(List.of(scenario));
    ChildJvm client = ChildJvm.start("python-client-" + COUNTER.incrementAndGet(), cmd, null, Map.of());
    client.awaitLine(Pattern.compile("^\\{\"login\": \\d+\\}$"), Pool.START);
    return client;
  }

  /** The task client's results, in task order, once it printed them all. */
  private static List<JsonObject> results(ChildJvm client) throws Exception {
    client.awaitLine(Pattern.compile("^done$"), RUN);
    List<JsonObject> results = new ArrayList<>();
    for (String line : client.output().split("\n")) {
      if (line.startsWith("{\"task\"")) {
        results.add(new JsonObject(line));
      }
    }
    return results;
  }

  @Test
  void aHundredTasksRunOnTwoResourceClients() throws Exception {
    try (ChildJvm server = Pool.server();
        ChildJvm fast = resourceClient(server, 9000);
        ChildJvm slow = resourceClient(server, 10);
        ChildJvm client = taskClient(server, "squares", "--count", "100", "--max-workers", "8")) {
      List<JsonObject> results = results(client);
      assertEquals(100, results.size());
      for (int x = 1; x <= 100; x++) {
        JsonObject r = results.get(x - 1);
        assertEquals(x, r.getInteger("task"));
        assertEquals(0, r.getInteger("ret"), r.encode());
        assertEquals(x * x, r.getInteger("value"), r.encode());
      }
      Pattern ran = Pattern.compile("^ran \\d+ 0$");
      assertEquals(100, fast.countLines(ran) + slow.countLines(ran));
      assertTrue(fast.countLines(ran) > 0 && slow.countLines(ran) > 0, "both resource clients ran tasks");
      JsonObject status = Pool.status(server);
      assertEquals(100, status.getJsonObject("tasks").getLong("completed"));
      assertEquals(2, status.getJsonArray("workers").stream()
          .filter(w -> "python".equals(((JsonObject) w).getString("kind"))).count());
    }
  }

  @Test
  void aRaisingTaskGivesRetOneWithTheExceptionTextAsItsResult() throws Exception {
    try (ChildJvm server = Pool.server();
        ChildJvm resource = resourceClient(server, 100);
        ChildJvm client = taskClient(server, "raise")) {
      JsonObject r = results(client).get(0);
      assertEquals(1, r.getInteger("ret"), r.encode());
      assertEquals("bad input 42", r.getString("value"));
    }
  }

  @Test
  void theRtypeSaysWhenTheResourceClientResetsItsGlobals() throws Exception {
    try (ChildJvm server = Pool.server(); ChildJvm resource = resourceClient(server, 100)) {
      // 0 resets before the run, 1 after it, 2 never; each task counts its runs in a global. Each sequence
      // starts with 0, so what the one before left behind does not count
      assertEquals(List.of(1, 2, 1, 2), values(server, "0,2,0,2"));
      assertEquals(List.of(1, 2, 3, 1), values(server, "0,2,1,2"));
      assertEquals(List.of(1, 2, 3), values(server, "0,2,2"));
    }
  }

  private static List<Integer> values(ChildJvm server, String rtypes) throws Exception {
    try (ChildJvm client = taskClient(server, "globals", rtypes, "--max-workers", "1")) {
      return results(client).stream().map(r -> r.getInteger("value")).toList();
    }
  }

  @Test
  void aTaskWaitsForAResourceClientInsteadOfFailingWithForty() throws Exception {
    try (ChildJvm server = Pool.server();
        ChildJvm client = taskClient(server, "squares", "--count", "3")) {
      Pool.awaitStatus(server, s -> s.getInteger("queueDepth") == 3, Pool.START);
      try (ChildJvm resource = resourceClient(server, 100)) {
        List<JsonObject> results = results(client);
        assertEquals(List.of(1, 4, 9), results.stream().map(r -> r.getInteger("value")).toList());
        assertTrue(results.stream().allMatch(r -> r.getInteger("ret") == 0), results.toString());
      }
    }
  }

  @Test
  void aTaskWhoseResourceClientIsKilledRunsAgainOnAnother() throws Exception {
    try (ChildJvm server = Pool.server();
        ChildJvm first = resourceClient(server, 9000);
        ChildJvm client = taskClient(server, "sleep", "2", "--count", "1")) {
      first.awaitLine(Pattern.compile("^running \\d+$"), Pool.START);
      try (ChildJvm second = resourceClient(server, 10)) {
        first.kill();
        JsonObject r = results(client).get(0);
        assertEquals(0, r.getInteger("ret"), "rerun instead of failing with 99: " + r.encode());
        assertEquals(1, r.getInteger("value"));
        assertEquals(1, second.countLines(Pattern.compile("^ran \\d+ 0$")));
        assertEquals(1, Pool.status(server).getJsonObject("tasks").getLong("rerun"));
      }
    }
  }

  @Test
  void idleResourceClientsArePingedAndStay(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("server.json");
    Files.writeString(conf, new JsonObject().put("legacyPingMillis", 300).encode());
    try (ChildJvm server = Pool.server(conf); ChildJvm resource = resourceClient(server, 100)) {
      for (int i = 1; i <= 3; i++) {
        resource.awaitLine(Pattern.compile("^ping$"), Pool.START);
      }
      Pool.awaitStatus(server, s -> s.getJsonArray("workers").size() == 1, Pool.START);
      // it answered every PING, so it is still registered and runs a task
      try (ChildJvm client = taskClient(server, "squares", "--count", "2")) {
        assertEquals(List.of(1, 4), results(client).stream().map(r -> r.getInteger("value")).toList());
      }
    }
  }

  @Test
  void javaAndPythonTasksRunAtTheSameTimeEachOnItsOwnKindOfWorker() throws Exception {
    try (ChildJvm server = Pool.server();
        ChildJvm javaWorker = Pool.worker(server, 1);
        ChildJvm resource = resourceClient(server, 1_000_000);
        AntPoolExecutor executor = new AntPoolExecutor(Pool.url(server))) {
      ChildJvm python = taskClient(server, "sleep", "0.2", "--count", "10", "--max-workers", "2");
      List<CompletableFuture<Long>> java = new ArrayList<>();
      for (long i = 1; i <= 10; i++) {
        long n = i;
        java.add(executor.submit(() -> LongStream.rangeClosed(1, n).sum()));
      }
      for (int i = 0; i < 10; i++) {
        assertEquals((i + 1L) * (i + 2) / 2, java.get(i).get(RUN.toSeconds(), TimeUnit.SECONDS));
      }
      List<JsonObject> results = results(python);
      python.close();
      assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), results.stream().map(r -> r.getInteger("value")).toList());
      assertEquals(10, resource.countLines(Pattern.compile("^ran \\d+ 0$")), "every Python task, no Java one");
      JsonObject status = Pool.status(server);
      for (Object w : status.getJsonArray("workers")) {
        JsonObject worker = (JsonObject) w;
        assertEquals(10, worker.getLong("tasksRun"), worker.getString("kind") + " ran its own 10 tasks");
      }
    }
  }
}
