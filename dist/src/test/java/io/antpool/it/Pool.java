package io.antpool.it;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts real AntPool processes from the built {@code antpool.jar} (so worker class paths hold AntPool only,
 * never the test classes) and reads the server's status API.
 */
final class Pool {
  static final Pattern READY = Pattern.compile("AntPool server listening on ws://([0-9.]+):(\\d+)");
  static final Pattern JOINED = Pattern.compile("AntPool worker (\\S+) joined");
  static final Duration START = Duration.ofSeconds(60);
  private static final AtomicInteger COUNTER = new AtomicInteger();
  /**
   * HTTP/1.1 only: the JDK client's default, HTTP/2 over cleartext by an upgrade of the first request, loses now
   * and then a response larger than one HTTP/2 frame (16 KiB) from a Vert.x 5.0.7 server (such as a scrape of
   * /metrics): the request never completes.
   */
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private Pool() {
  }

  static Path jar() {
    String jar = System.getProperty("antpool.jar");
    if (jar == null) {
      throw new IllegalStateException("system property antpool.jar is not set; run the tests with mvn verify");
    }
    return Path.of(jar);
  }

  static Path home() {
    return Path.of(System.getProperty("antpool.home", "..")).toAbsolutePath().normalize();
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A server JVM on 127.0.0.1 and a free port; returns once it printed its ready line. */
  static ChildJvm server() throws IOException, InterruptedException {
    ChildJvm server = ChildJvm.start("server-" + COUNTER.incrementAndGet(), List.of(java(), "-Xmx256m", "-jar",
        jar().toString(), "server", "--host", "127.0.0.1", "--port", "0", "/v"), null, Map.of());
    server.awaitLine(READY, START);
    return server;
  }

  /** A server JVM on 127.0.0.1 with a free port and the options of configuration file {@code conf}. */
  static ChildJvm server(java.nio.file.Path conf) throws IOException, InterruptedException {
    return server(conf, List.of("-Xmx256m"));
  }

  /** As {@link #server(Path)}, with the given JVM options (e.g. {@code -Xmx128m}) in place of the default heap. */
  static ChildJvm server(java.nio.file.Path conf, List<String> jvmOptions) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(java()));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", jar().toString(), "server", "--host", "127.0.0.1", "--port", "0", "--conf",
        conf.toString(), "/v"));
    ChildJvm server = ChildJvm.start("server-" + COUNTER.incrementAndGet(), cmd, null, Map.of());
    server.awaitLine(READY, START);
    return server;
  }

  /** A server JVM on 127.0.0.1 and the given port (e.g. to restart one where workers expect it). */
  static ChildJvm server(int port) throws IOException, InterruptedException {
    ChildJvm server = ChildJvm.start("server-" + COUNTER.incrementAndGet(), List.of(java(), "-Xmx256m", "-jar",
        jar().toString(), "server", "--host", "127.0.0.1", "--port", Integer.toString(port), "/v"), null, Map.of());
    server.awaitLine(READY, START);
    return server;
  }

  /** A port that was free a moment ago, for a server that must start after its workers. */
  static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A worker JVM aimed at {@code url}, not waiting for it to join. */
  static ChildJvm workerFor(String url, int slots, String... options) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar", jar().toString(), "worker", url,
        "--instances", Integer.toString(slots)));
    cmd.addAll(List.of(options));
    return ChildJvm.start("worker-" + COUNTER.incrementAndGet(), cmd, null, Map.of());
  }

  /** A worker JVM aimed at {@code url} and started behind {@code prefix} (e.g. {@code ip netns exec NS}). */
  static ChildJvm workerFor(String[] prefix, String url, int slots) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(prefix));
    cmd.addAll(List.of(java(), "-Xmx256m", "-jar", jar().toString(), "worker", url, "--instances",
        Integer.toString(slots)));
    return ChildJvm.start("worker-" + COUNTER.incrementAndGet(), cmd, null, Map.of());
  }

  static int port(ChildJvm server) throws InterruptedException {
    return Integer.parseInt(server.awaitLine(READY, START).group(2));
  }

  static String url(ChildJvm server) throws InterruptedException {
    return "ws://127.0.0.1:" + port(server);
  }

  /**
   * A worker JVM with {@code slots} slots and extra {@code antpool worker} options (e.g. {@code --tag region=eu
   * --name eu}); returns once every slot has joined.
   */
  static ChildJvm worker(ChildJvm server, int slots, String... options) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar", jar().toString(), "worker",
        url(server), "--instances", Integer.toString(slots)));
    cmd.addAll(List.of(options));
    ChildJvm worker = ChildJvm.start("worker-" + COUNTER.incrementAndGet(), cmd, null, Map.of());
    awaitJoined(worker, slots);
    return worker;
  }

  static void awaitJoined(ChildJvm worker, int slots) throws InterruptedException {
    long deadline = System.nanoTime() + START.toNanos();
    for (int i = 1; i <= slots; i++) {
      Pattern nth = Pattern.compile("AntPool worker \\S+#" + i + " joined");
      worker.awaitLine(nth, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }
  }

  /** Names of the worker slots a worker JVM printed as joined. */
  static List<String> slotNames(ChildJvm worker) throws InterruptedException {
    List<String> names = new ArrayList<>();
    for (String line : worker.output().split("\n")) {
      Matcher m = JOINED.matcher(line);
      if (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  static JsonObject status(ChildJvm server) throws IOException, InterruptedException {
    return status(port(server));
  }

  /** The status report of the server listening on 127.0.0.1 and {@code port}. */
  static JsonObject status(int port) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/antadmin/api/status")).timeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("status API answered " + response.statusCode() + ": " + response.body());
    }
    return new JsonObject(response.body());
  }

  /**
   * Tasks that wait to start, as a status report shows them: queued on the server, or held by a worker slot
   * behind the task it runs (the server's prefetch).
   */
  static int waitingTasks(JsonObject status) {
    int waiting = status.getInteger("queueDepth");
    for (Object o : status.getJsonArray("workers")) {
      waiting += Math.max(0, ((JsonObject) o).getInteger("held") - 1);
    }
    return waiting;
  }

  static HttpResponse<String> get(ChildJvm server, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(server) + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Waits until the status API satisfies {@code condition}, reading it every 50 ms on a scheduler thread;
   * returns the satisfying status.
   */
  static JsonObject awaitStatus(ChildJvm server, Predicate<JsonObject> condition, Duration timeout)
      throws Exception {
    return awaitStatus(port(server), condition, timeout);
  }

  /** As the other, for the server listening on 127.0.0.1 and {@code port}. */
  static JsonObject awaitStatus(int port, Predicate<JsonObject> condition, Duration timeout) throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    CompletableFuture<JsonObject> met = new CompletableFuture<>();
    JsonObject[] last = new JsonObject[1];
    try {
      ScheduledFuture<?> poll = timer.scheduleWithFixedDelay(() -> {
        try {
          JsonObject s = status(port);
          last[0] = s;
          if (condition.test(s)) {
            met.complete(s);
          }
        } catch (Exception e) {
          met.completeExceptionally(e);
        }
      }, 0, 50, TimeUnit.MILLISECONDS);
      try {
        return met.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("the status API did not reach the expected state within " + timeout
            + "; last status: " + (last[0] == null ? "none" : last[0].encodePrettily()));
      } finally {
        poll.cancel(false);
      }
    } finally {
      timer.shutdownNow();
    }
  }

  /**
   * The live heap of JVM {@code pid}: its used heap right after a full collection ({@code jcmd PID GC.run}, then
   * {@code GC.heap_info}), in bytes.
   */
  static long liveHeapBytes(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    // G1: " garbage-first heap   total 262144K, used 12345K [...]"; the serial and parallel collectors print
    // one such line per generation
    Matcher m = Pattern.compile("(?m)^ (?:garbage-first heap|def new generation|tenured generation|PSYoungGen"
        + "|ParOldGen)\\s+total \\d+K, used (\\d+)K").matcher(info);
    long used = 0;
    boolean found = false;
    while (m.find()) {
      used += Long.parseLong(m.group(1)) * 1024;
      found = true;
    }
    if (!found) {
      throw new AssertionError("no heap figure in jcmd " + pid + " GC.heap_info:\n" + info);
    }
    return used;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }

  /** Waits until {@code file} exists: evidence a task in another JVM left. */
  static void awaitFile(java.nio.file.Path file, Duration timeout) throws InterruptedException {
    try {
      if (!io.antpool.it.contract.FileEvents.await(file, timeout.toMillis())) {
        throw new AssertionError(file + " did not appear within " + timeout);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot watch for " + file, e);
    }
  }
}
