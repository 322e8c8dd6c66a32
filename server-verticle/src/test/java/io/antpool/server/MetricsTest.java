package io.antpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.protocol.Cancel;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.PeerInfo;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics}: real tasks run through a real server (raw peers play the client and the workers), and
 * the Prometheus text it serves is parsed: the task counters, the pool gauges and the timers' histograms say what
 * happened; the JVM's metrics are there; Vert.x's are there when the server's Vert.x has metrics enabled
 * ({@link ServerMetrics}), and a server in a plain Vert.x still serves AntPool's and the JVM's.
 */
class MetricsTest {
  private static final PeerInfo OTHER_PROCESS = new PeerInfo("other", "otherhost", "127.0.0.1", "test-os", 2,
      1L << 30, 1L << 29, 1.0, 4242, "test");

  private static PrometheusText scrape(TestServer server) throws Exception {
    HttpJson.Reply reply = server.get("/metrics");
    assertEquals(200, reply.status(), reply.body().toString());
    assertTrue(reply.contentType().startsWith("text/plain"), reply.contentType());
    return PrometheusText.parse(reply.body().toString());
  }

  /** The task counters, the pool gauges and the timers' counts, in the order {@link #expected} takes them. */
  private static final List<String> FIGURES = List.of("antpool_tasks_submitted_total",
      "antpool_tasks_completed_total", "antpool_tasks_failed_total", "antpool_tasks_rerun_total",
      "antpool_tasks_cancelled_total", "antpool_queue_depth", "antpool_workers", "antpool_slots",
      "antpool_slots_busy", "antpool_clients", "antpool_task_latency_seconds_count",
      "antpool_task_run_seconds_count");

  /** The {@link #FIGURES} in a scrape, as one map for a readable comparison. */
  private static Map<String, Double> figures(PrometheusText m) {
    Map<String, Double> figures = new LinkedHashMap<>();
    FIGURES.forEach(name -> figures.put(name, m.value(name)));
    return figures;
  }

  private static Map<String, Double> expected(double... values) {
    Map<String, Double> expected = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      expected.put(FIGURES.get(i), values[i]);
    }
    return expected;
  }

  /** A client submits a task (which waits: there is no worker) and leaves; its session waits for it. */
  private static void submitOneAndLeave(TestServer server) throws Exception {
    RawPeer client = server.client();
    client.submit(1);
    client.ws.close(); // the server has read the submit when this side sees the connection closed
    client.closed.get(30, TimeUnit.SECONDS);
  }

  @Test
  void theMetricsSayWhatHappenedInThePool() throws Exception {
    Vertx vertx = ServerMetrics.builder(new VertxOptions()).build();
    // prefetch 1: a worker slot holds one task at a time, so task 5 below waits on the server
    try (TestServer server = TestServer.start(vertx, new ServerVerticle(), new JsonObject().put("prefetch", 1))) {
      RawPeer first = server.worker();
      RawPeer client = server.client();

      client.submit(1);
      first.answerNext(Result.Status.VALUE);
      assertEquals(Result.Status.VALUE, client.next(Result.class).status());
      client.submit(2);
      first.answerNext(Result.Status.ERROR);
      assertEquals(Result.Status.ERROR, client.next(Result.class).status());

      // task 3's worker is lost while it runs: the task runs again on the next worker
      client.submit(3);
      first.next(Dispatch.class);
      first.ws.close();
      RawPeer second = server.worker();
      assertEquals(2, second.answerNext(Result.Status.VALUE).attempt());
      assertEquals(3L, client.next(Result.class).taskId());

      // task 4 runs, task 5 waits behind it; the client cancels task 4 (which reaches its worker)
      client.submit(4);
      Dispatch four = second.next(Dispatch.class);
      client.submit(5);
      client.send(Frame.of(new Cancel(4, true)));
      second.next(Cancel.class);
      PrometheusText during = scrape(server);
      assertEquals(expected(5, 2, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3), figures(during));

      second.answer(four, Result.Status.VALUE); // discarded: task 4 was cancelled
      second.answerNext(Result.Status.VALUE);
      assertEquals(5L, client.next(Result.class).taskId());
      RawPeer third = server.connect();
      third.hello(new Hello(Role.WORKER, Protocol.VERSION, OTHER_PROCESS, RawPeer.localToken()));
      PrometheusText after = scrape(server);
      assertEquals(expected(5, 3, 1, 1, 1, 0, 2, 2, 0, 1, 4, 4), figures(after));

      assertHistogram(after, "antpool_task_latency_seconds", 4);
      assertHistogram(after, "antpool_task_run_seconds", 4);
      assertEquals("counter", after.type("antpool_tasks_submitted_total"));
      assertEquals("gauge", after.type("antpool_queue_depth"));
      assertEquals("histogram", after.type("antpool_task_latency_seconds"));
      assertEquals("counter", after.type("antpool_received_bytes_total"));
      assertTrue(after.has("antpool_received_bytes_total") && after.has("antpool_sent_bytes_total"));
      assertEquals(0.0, after.value("antpool_tasks_recalled_total"), "no slot held a task behind another");
      assertJvmMetrics(after);
      assertTrue(after.hasPrefix("vertx_http_server_"), "Vert.x's HTTP server metrics are served");
      assertTrue(after.hasPrefix("vertx_eventbus_"), "Vert.x's event bus metrics are served");
    }
  }

  /** Buckets never decrease, the last one ({@code +Inf}) holds every observation, and the sum is positive. */
  private static void assertHistogram(PrometheusText m, String name, long count) {
    List<PrometheusText.Sample> buckets = m.samples(name + "_bucket");
    assertTrue(buckets.size() > 10, name + " has its buckets: " + buckets);
    double previous = 0;
    for (PrometheusText.Sample bucket : buckets) {
      assertTrue(bucket.value() >= previous, name + " buckets grow: " + buckets);
      previous = bucket.value();
    }
    assertEquals(count, m.value(name + "_bucket", Map.of("le", "+Inf")));
    assertEquals(count, m.value(name + "_count"));
    assertTrue(m.value(name + "_sum") > 0, name + "_sum");
  }

  private static void assertJvmMetrics(PrometheusText m) {
    for (String name : List.of("jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total",
        "jvm_threads_live_threads", "jvm_classes_loaded_classes", "system_cpu_count", "process_uptime_seconds")) {
      assertTrue(m.has(name), "JVM metric " + name + " is served");
    }
  }

  @Test
  void aServerInAVertxWithoutMetricsServesItsOwnAndTheJvms() throws Exception {
    try (TestServer server = TestServer.start(new JsonObject())) {
      RawPeer worker = server.worker();
      RawPeer client = server.client();
      client.submit(1);
      worker.answerNext(Result.Status.VALUE);
      client.next(Result.class);

      PrometheusText m = scrape(server);
      assertEquals(expected(1, 1, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1), figures(m));
      assertJvmMetrics(m);
      assertFalse(m.hasPrefix("vertx_"), "this Vert.x has no metrics to serve");
    }
  }

  @Test
  void aServerRedeployedInTheSameVertxStartsItsMetricsAfresh() throws Exception {
    Vertx vertx = ServerMetrics.builder(new VertxOptions()).build();
    try (TestServer server = TestServer.start(vertx, new ServerVerticle(), new JsonObject())) {
      submitOneAndLeave(server);
      assertEquals(1.0, scrape(server).value("antpool_tasks_submitted_total"));

      String deployment = vertx.deploymentIDs().iterator().next();
      vertx.undeploy(deployment).await(30, TimeUnit.SECONDS);
      ServerVerticle next = new ServerVerticle();
      vertx.deployVerticle(next, new DeploymentOptions().setConfig(new JsonObject()
          .put("host", "127.0.0.1").put("port", 0))).await(30, TimeUnit.SECONDS);
      PrometheusText m = PrometheusText.parse(HttpJson.request(vertx, next.actualPort(), "/metrics").body()
          .toString());
      assertEquals(0.0, m.value("antpool_tasks_submitted_total"), "the old server's meters left with it");
      assertTrue(m.hasPrefix("vertx_"), "and the new one reports to Vert.x's registry again");
    }
  }

  @Test
  void aSecondServerThatFindsVertxsRegistryTakenServesOneOfItsOwn() throws Exception {
    try (TestServer first = TestServer.start(ServerMetrics.builder(new VertxOptions()).build(),
        new ServerVerticle(), new JsonObject());
        TestServer second = TestServer.start(ServerMetrics.builder(new VertxOptions()).build(),
            new ServerVerticle(), new JsonObject())) {
      submitOneAndLeave(first);

      assertEquals(1.0, scrape(first).value("antpool_tasks_submitted_total"));
      PrometheusText other = scrape(second);
      assertEquals(0.0, other.value("antpool_tasks_submitted_total"), "each server reports its own tasks");
      assertFalse(other.hasPrefix("vertx_"), "the registry of its own has no Vert.x metrics");
      assertJvmMetrics(other);
    }
  }
}
