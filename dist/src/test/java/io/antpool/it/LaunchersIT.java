package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.client.AntPoolExecutor;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The launch commands people type, run for real through the scripts in bin/. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LaunchersIT {
  @TempDir
  Path dir;

  private static List<String> script(String name, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", Pool.home().resolve("bin").resolve(name).toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static Map<String, String> env() {
    return Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", "-Xmx256m");
  }

  private static int runOneTask(String url) throws Exception {
    try (AntPoolExecutor pool = new AntPoolExecutor(url)) {
      return pool.submit(() -> 6 * 7).get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void vertxRunServerVerticleAndWorkerVerticle() throws Exception {
    // -conf NAME is also looked up under conf/ of the current folder
    Files.createDirectories(dir.resolve("conf"));
    Files.writeString(dir.resolve("conf/it-server.json"), "{\"host\": \"127.0.0.1\", \"port\": 0, \"verbose\": true}");
    try (ChildJvm server = ChildJvm.start("vertx-run-server", script("vertx", "run", "ServerVerticle", "-conf",
        "it-server.json"), dir, env())) {
      String url = Pool.url(server);
      try (ChildJvm workers = ChildJvm.start("vertx-run-worker", script("vertx", "run", "WorkerVerticle",
          "-instances", "2", "-conf", "{\"server\": \"" + url + "\"}"), dir, env())) {
        Pool.awaitJoined(workers, 2);
        assertEquals(42, runOneTask(url));
        assertEquals(2, Pool.status(server).getJsonArray("workers").size());
      }
    }
  }

  @Test
  void vertxRunWithAMissingConfigurationFileFailsAndSaysWhere() throws Exception {
    try (ChildJvm run = ChildJvm.start("vertx-run-missing", script("vertx", "run", "ServerVerticle", "-conf",
        "no-such-server.json"), dir, env())) {
      int status = run.awaitExit(Duration.ofSeconds(60));
      assertEquals(2, status, run.output());
      assertTrue(run.output().contains("no-such-server.json not found"), run.output());
      assertTrue(run.output().contains(dir.resolve("conf").toString()), "names where it looked: " + run.output());
    }
  }

  @Test
  void seedStyleAntpoolsrvAndAntpoolclient() throws Exception {
    try (ChildJvm server = ChildJvm.start("antpoolsrv", script("antpoolsrv", "0", "/v", "--host", "127.0.0.1"),
        dir, env())) {
      String url = Pool.url(server);
      try (ChildJvm worker = ChildJvm.start("antpoolclient", script("antpoolclient", url, "--instances", "2"),
          dir, env())) {
        Pool.awaitJoined(worker, 2);
        assertEquals(42, runOneTask(url));
        HttpResponse<String> health = Pool.get(server, "/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"UP\""), health.body());
        HttpResponse<String> page = Pool.get(server, "/antadmin/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<h2 id=\"h-workers\">Workers"), page.body());
        // the dashboard's script is a module: a browser runs it only when served as JavaScript
        HttpResponse<String> script = Pool.get(server, "/antadmin/app.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").contains("javascript"),
            script.headers().toString());
      }
    }
  }

  @Test
  void antpoolsrvWithoutVerboseLogsToTheSeedsFiles() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    try (ChildJvm server = ChildJvm.start("antpoolsrv-files", script("antpoolsrv", "--port", "0", "--host",
        "127.0.0.1", "--log-dir", logs.toString()), dir, env())) {
      Pool.url(server);
      Path log = logs.resolve("aSrv_log.txt");
      assertTrue(Files.exists(log), "aSrv_log.txt is written in --log-dir");
      assertTrue(Files.readString(log).contains("listening"), Files.readString(log));
      assertTrue(Files.exists(logs.resolve("aSrv_err.txt")), "aSrv_err.txt is created beside it");
      assertEquals(0, server.countLines(Pattern.compile("INFO")), "no log lines on the console without /v");
    }
  }

  @Test
  void antpoolDemoPrintsThreeCorrectSumsWithSpeedups() throws Exception {
    List<String> cmd = List.of("bash", Pool.home().resolve("antpool").toString(), "demo", "--n", "400000000",
        "--tasks", "8", "--workers", "2");
    try (ChildJvm demo = ChildJvm.start("antpool-demo", cmd, dir, env())) {
      assertEquals(0, demo.awaitExit(Duration.ofMinutes(3)), demo.output());
      String expected = "sum = 80,000,000,200,000,000 correct";
      for (String way : List.of("serial:", "futures:", "callbacks:", "map:")) {
        assertEquals(1, demo.countLines(Pattern.compile("^" + way + " +" + Pattern.quote(expected)
            + " in [0-9,]+ ms, speedup [0-9.]+x against serial$")), way + " line missing:\n" + demo.output());
      }
    }
  }

  @Test
  void antpoolsrvRefusesUnknownArgumentsWithUsage() throws Exception {
    try (ChildJvm server = ChildJvm.start("antpoolsrv-bad", script("antpoolsrv", "/x"), dir, env())) {
      assertEquals(2, server.awaitExit(Duration.ofSeconds(60)), server.output());
      assertTrue(server.output().contains("usage: antpoolsrv [PORT] [/s] [/v]"), server.output());
    }
  }
}
