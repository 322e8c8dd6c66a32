package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.client.AntPoolExecutor;
import io.antpool.client.AntPoolOptions;
import io.antpool.it.reconnect.RunOnce;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client whose connection is cut (here by a relay between it and the server) keeps its session for the
 * server's grace period: coming back in time, it receives the results produced while it was away, and nothing
 * runs twice. Away for longer, its session ends: its queued task is dropped and its running one interrupted on
 * the worker; once back, the client submits both again, and each future still completes once.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClientReconnectIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private AntPoolExecutor clientThrough(FreezingProxy proxy) {
    return new AntPoolExecutor(new AntPoolOptions().setUrl("ws://127.0.0.1:" + proxy.port())
        .setConnectTimeoutMillis(120_000));
  }

  private static JsonArray clients(ChildJvm server) throws Exception {
    return Pool.status(server).getJsonArray("clients");
  }

  @Test
  void aClientBackWithinTheGracePeriodGetsTheResultsProducedMeanwhileAndNothingRunsTwice() throws Exception {
    try (ChildJvm server = Pool.server(); ChildJvm worker = Pool.worker(server, 2);
        FreezingProxy proxy = new FreezingProxy(Pool.port(server)); AntPoolExecutor pool = clientThrough(proxy)) {
      CompletableFuture<String> a = pool.submit(RunOnce.afterGate(dir.toString(), "a", "value-a"));
      CompletableFuture<String> b = pool.submit(RunOnce.afterGate(dir.toString(), "b", "value-b"));
      Pool.awaitFile(dir.resolve("started-a"), WAIT);
      Pool.awaitFile(dir.resolve("started-b"), WAIT);
      String session = clients(server).getJsonObject(0).getString("id");

      proxy.refuse(true);
      proxy.cut();
      Pool.awaitStatus(server, s -> !s.getJsonArray("clients").getJsonObject(0).getBoolean("connected"), WAIT);
      Files.writeString(dir.resolve("gate"), "");
      // both results are produced while the client is away, and held for it
      Pool.awaitStatus(server, s -> s.getJsonArray("clients").getJsonObject(0).getLong("completed") == 2, WAIT);
      assertFalse(a.isDone() || b.isDone(), "the client has not seen the results yet");
      proxy.refuse(false);

      assertEquals("value-a", a.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      assertEquals("value-b", b.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      assertEquals(1, RunOnce.runs(dir, "a"), "task a ran once");
      assertEquals(1, RunOnce.runs(dir, "b"), "task b ran once");
      JsonObject status = Pool.status(server);
      assertEquals(1, status.getJsonArray("clients").size(), status.encodePrettily());
      JsonObject client = status.getJsonArray("clients").getJsonObject(0);
      assertEquals(session, client.getString("id"), "the client resumed its session");
      assertTrue(client.getBoolean("connected"));
      assertEquals(2L, client.getLong("submitted"), "nothing was submitted twice");
      assertEquals(0L, status.getJsonObject("tasks").getLong("rerun"));
    }
  }

  @Test
  void aClientAwayLongerLosesItsSessionThenSubmitsAgainAndEachFutureCompletesOnce() throws Exception {
    Path conf = dir.resolve("server.json");
    Files.writeString(conf, "{\"clientGraceMillis\": 2000}");
    Path work = Files.createDirectory(dir.resolve("work"));
    try (ChildJvm server = Pool.server(conf); ChildJvm worker = Pool.worker(server, 1);
        FreezingProxy proxy = new FreezingProxy(Pool.port(server)); AntPoolExecutor pool = clientThrough(proxy)) {
      CompletableFuture<String> running = pool.submit(RunOnce.blocksFirstTime(work.toString(), "r", "value-r"));
      // started, not only dispatched: cut off while its worker still fetched its classes, it would never start
      Pool.awaitFile(work.resolve("started-r"), WAIT);
      CompletableFuture<String> queued = pool.submit(RunOnce.afterGate(work.toString(), "q", "value-q"));
      Pool.awaitStatus(server, s -> s.getInteger("queueDepth") == 1, WAIT);
      String session = clients(server).getJsonObject(0).getString("id");

      proxy.refuse(true);
      proxy.cut();
      Pool.awaitFile(work.resolve("interrupted-r"), WAIT); // the session ended: its running task is interrupted
      JsonObject ended = Pool.awaitStatus(server, s -> s.getJsonArray("clients").isEmpty(), WAIT);
      assertEquals(0, ended.getInteger("queueDepth"), "its queued task was dropped: " + ended.encodePrettily());
      assertEquals(0, RunOnce.runs(work, "q"), "the dropped task never ran");

      Files.writeString(work.resolve("gate"), "");
      proxy.refuse(false);
      // a new session: the client submits both again (execution at least once, completion exactly once)
      assertEquals("value-r", running.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      assertEquals("value-q", queued.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      assertEquals(2, RunOnce.runs(work, "r"), "interrupted once, then run again");
      assertEquals(1, RunOnce.runs(work, "q"));
      JsonObject client = clients(server).getJsonObject(0);
      assertFalse(session.equals(client.getString("id")), "a new session");
      assertEquals(2L, client.getLong("completed"));
    }
  }
}
