package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.SerializableCallable;
import io.antpool.client.AntPoolExecutor;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What people watching a real pool see, through the scripts in bin/ and the built antpool.jar: {@code antpoolsrv}
 * without {@code /v} writes joins to {@code aSrv_log.txt} in {@code --log-dir} and nothing on the console; its
 * {@code /ready} and {@code /metrics} answer (Prometheus text with AntPool's, the JVM's and Vert.x's metrics);
 * a worker logs a failed task at warn with the task's id; {@code vertx run ServerVerticle} serves Vert.x's
 * metrics too.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ObservabilityIT {
  @TempDir
  Path dir;

  private static List<String> script(String name, String... args) {
    List<String> cmd = new ArrayList<>(List.of("bash", Pool.home().resolve("bin").resolve(name).toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static Map<String, String> env() {
    return Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", "-Xmx256m");
  }

  /** Whether the scrape has a sample line {@code name value}, e.g. {@code antpool_slots 1.0} (or {@code 1}). */
  private static boolean hasSample(String scrape, String name, double value) {
    Matcher m = Pattern.compile("^" + Pattern.quote(name) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
    return m.find() && Double.parseDouble(m.group(1)) == value;
  }

  @Test
  void antpoolsrvLogsJoinsToItsFilesAndServesReadinessAndMetrics() throws Exception {
    Path logs = dir.resolve("logs");
    try (ChildJvm server = ChildJvm.start("antpoolsrv-observed", script("antpoolsrv", "--port", "0", "--host",
        "127.0.0.1", "--log-dir", logs.toString()), dir, env())) {
      String url = Pool.url(server);
      assertEquals(503, Pool.get(server, "/ready").statusCode(), "no worker yet");
      try (ChildJvm worker = Pool.workerFor(url, 1)) {
        Pool.awaitJoined(worker, 1);
        HttpResponse<String> ready = Pool.get(server, "/ready");
        // answered on the server's event loop after the join was handled, so its log line is written
        assertEquals(200, ready.statusCode(), ready.body());
        String log = Files.readString(logs.resolve("aSrv_log.txt"));
        assertTrue(Pattern.compile("INFO .*worker slot \\S+ \\(\\S+#1, websocket, score \\S+\\) joined").matcher(log)
            .find(), "the join is in aSrv_log.txt:\n" + log);
        assertEquals("", Files.readString(logs.resolve("aSrv_err.txt")), "no error, nothing in aSrv_err.txt");
        assertEquals(0, server.countLines(Pattern.compile("\\b(INFO|WARN|ERROR)\\b")),
            "no log lines on the console without /v");

        try (AntPoolExecutor pool = new AntPoolExecutor(url)) {
          assertEquals(42, pool.submit(() -> 6 * 7).get(60, TimeUnit.SECONDS));
          ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.submit(
              (SerializableCallable<Integer>) () -> {
                throw new IllegalStateException("observed failure");
              }).get(60, TimeUnit.SECONDS));
          assertTrue(failed.getCause().getMessage().contains("observed failure"), failed.getCause().toString());
        }
        worker.awaitLine(Pattern.compile("WARN .*TaskRunner - task \\d+ \\(session c-\\S+, attempt 1\\) failed on"
            + " \\S+#1: java.lang.IllegalStateException: observed failure"), Duration.ofSeconds(30));

        HttpResponse<String> metrics = Pool.get(server, "/metrics");
        assertEquals(200, metrics.statusCode());
        String scrape = metrics.body();
        for (String[] sample : new String[][] {{"antpool_workers", "1"}, {"antpool_slots", "1"},
            {"antpool_tasks_completed_total", "1"}, {"antpool_tasks_failed_total", "1"},
            {"antpool_task_latency_seconds_count", "2"}}) {
          assertTrue(hasSample(scrape, sample[0], Double.parseDouble(sample[1])), sample[0] + " " + sample[1]
              + " in:\n" + scrape);
        }
        assertTrue(scrape.contains("\njvm_memory_used_bytes{"), "the JVM's metrics are served");
        assertTrue(scrape.contains("\nvertx_http_server_"), "antpoolsrv's Vert.x reports its own metrics");
      }
    }
  }

  @Test
  void vertxRunServerVerticleServesVertxMetricsToo() throws Exception {
    try (ChildJvm server = ChildJvm.start("vertx-run-observed", script("vertx", "run", "ServerVerticle", "-conf",
        "{\"host\": \"127.0.0.1\", \"port\": 0, \"verbose\": true, \"readyMinWorkers\": 0}"), dir, env())) {
      Pool.url(server);
      assertEquals(200, Pool.get(server, "/ready").statusCode(), "readyMinWorkers 0: ready without workers");
      String scrape = Pool.get(server, "/metrics").body();
      assertTrue(hasSample(scrape, "antpool_slots", 0), scrape);
      assertTrue(scrape.contains("\nvertx_http_server_"), "the launcher's Vert.x reports its own metrics:\n"
          + scrape);
    }
  }
}
