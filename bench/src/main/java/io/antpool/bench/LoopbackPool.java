package io.antpool.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real AntPool on loopback: one server JVM ({@code antpool.jar server --port 0 --host 127.0.0.1}) and N
 * worker JVMs of one slot each ({@code antpool.jar worker ws://127.0.0.1:PORT}), whose only class path is
 * {@code antpool.jar}. Readiness is each child's own printed line, never a sleep.
 *
 * <p>Every child is stopped by {@link #close()} and, should this JVM be interrupted (Ctrl-C, SIGTERM) before
 * that, by a shutdown hook. The children run in a temporary folder, deleted at the end, so nothing they might
 * write lands in the caller's folder.
 */
final class LoopbackPool implements AutoCloseable {
  private static final Pattern SERVER_READY = Pattern.compile("AntPool server listening on (ws://\\S+)");
  private static final Pattern WORKER_READY = Pattern.compile("AntPool worker (\\S+) joined (\\S+) as (\\S+)");

  private static final Pattern CLUSTERED_WORKER_READY = Pattern.compile("AntPool worker (\\S+) joined the event bus");

  private final List<ChildJvm> children = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread hook = new Thread(this::stopChildren, "bench-stop-children");
  private final Path workDir;
  private final Path jar;
  private final List<String> workerJvmArgs;
  private final boolean echo;
  private int workersStarted;
  private String url;

  private LoopbackPool(Path workDir, Path jar, List<String> workerJvmArgs, boolean echo) {
    this.workDir = workDir;
    this.jar = jar;
    this.workerJvmArgs = List.copyOf(workerJvmArgs);
    this.echo = echo;
  }

  /**
   * Starts the server, then {@code workers} worker JVMs in parallel, and returns once every one of them said
   * it is ready.
   *
   * @param echo copy the children's output to standard error
   * @throws IllegalStateException if a child ends or stays silent past {@code readyTimeout}; everything
   *     started so far is stopped again
   */
  static LoopbackPool start(Path jar, int workers, Duration readyTimeout, boolean echo)
      throws IOException, InterruptedException {
    return start(jar, workers, List.of(), readyTimeout, echo);
  }

  /**
   * As {@link #start(Path, int, Duration, boolean)}, with options for the worker JVMs themselves (placed before
   * {@code -jar}: logging, profiling).
   */
  static LoopbackPool start(Path jar, int workers, List<String> workerJvmArgs, Duration readyTimeout,
      boolean echo) throws IOException, InterruptedException {
    return start(jar, workers, workerJvmArgs, null, readyTimeout, echo);
  }

  /**
   * As {@link #start(Path, int, List, Duration, boolean)}, the server reading {@code serverConf} (its JSON
   * options, e.g. {@code prefetch}) unless it is null.
   */
  static LoopbackPool start(Path jar, int workers, List<String> workerJvmArgs, String serverConf,
      Duration readyTimeout, boolean echo) throws IOException, InterruptedException {
    LoopbackPool pool = new LoopbackPool(Files.createTempDirectory("antpool-bench-"), jar, workerJvmArgs, echo);
    Runtime.getRuntime().addShutdownHook(pool.hook);
    try {
      List<String> serverArgs = new ArrayList<>(List.of("server", "--port", "0", "--host", "127.0.0.1", "/v"));
      if (serverConf != null) {
        Path conf = pool.workDir.resolve("server.json");
        Files.writeString(conf, serverConf);
        serverArgs.addAll(List.of("--conf", conf.toString()));
      }
      ChildJvm server = pool.spawn("server", jar, List.of(), serverArgs, SERVER_READY, echo);
      pool.url = server.awaitReady(readyTimeout).group(1);
      List<ChildJvm> started = new ArrayList<>();
      for (int i = 1; i <= workers; i++) {
        started.add(pool.startWorker());
      }
      for (ChildJvm worker : started) {
        Matcher joined = worker.awaitReady(readyTimeout);
        if (!joined.group(2).equals(pool.url)) {
          throw new IllegalStateException(worker.label() + " joined " + joined.group(2) + ", not " + pool.url);
        }
      }
      return pool;
    } catch (IOException | InterruptedException | RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * A clustered server (Hazelcast configuration {@code clusterConf}, on loopback) with {@code wsWorkers}
   * WebSocket workers tagged {@code via=ws} and {@code clusteredWorkers} clustered workers tagged
   * {@code via=cluster}, one slot each; returns once every one of them said it is ready.
   */
  static LoopbackPool startClustered(Path jar, Path clusterConf, int wsWorkers, int clusteredWorkers,
      Duration readyTimeout, boolean echo) throws IOException, InterruptedException {
    LoopbackPool pool = new LoopbackPool(Files.createTempDirectory("antpool-bench-"), jar, List.of(), echo);
    Runtime.getRuntime().addShutdownHook(pool.hook);
    List<String> cluster = List.of("--cluster", "--cluster-host", "127.0.0.1", "--cluster-conf",
        clusterConf.toString());
    try {
      List<String> serverArgs = new ArrayList<>(List.of("server", "--port", "0", "--host", "127.0.0.1", "/v"));
      serverArgs.addAll(cluster);
      ChildJvm server = pool.spawn("server", jar, List.of(), serverArgs, SERVER_READY, echo);
      pool.url = server.awaitReady(readyTimeout).group(1);
      List<ChildJvm> started = new ArrayList<>();
      for (int i = 1; i <= wsWorkers; i++) {
        started.add(pool.spawn("ws-worker-" + i, jar, List.of(),
            List.of("worker", pool.url, "--instances", "1", "--tag", "via=ws"), WORKER_READY, echo));
      }
      for (int i = 1; i <= clusteredWorkers; i++) {
        List<String> args = new ArrayList<>(List.of("worker", "--instances", "1", "--tag", "via=cluster"));
        args.addAll(cluster);
        started.add(pool.spawn("clustered-worker-" + i, jar, List.of(), args, CLUSTERED_WORKER_READY, echo));
      }
      for (ChildJvm worker : started) {
        worker.awaitReady(readyTimeout);
      }
      return pool;
    } catch (IOException | InterruptedException | RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * The server alone, its JVM started with {@code serverJvmArgs} (before {@code -jar}: a heap cap, logging) and
   * configured with {@code conf} (a {@code server.json}, written to the pool's folder), for a benchmark that
   * brings its own peers ({@link #startMain}); returns once it said it is listening.
   */
  static LoopbackPool startServer(Path jar, List<String> serverJvmArgs, JsonObject conf, Duration readyTimeout,
      boolean echo) throws IOException, InterruptedException {
    LoopbackPool pool = new LoopbackPool(Files.createTempDirectory("antpool-bench-"), jar, List.of(), echo);
    Runtime.getRuntime().addShutdownHook(pool.hook);
    try {
      Path serverJson = Files.writeString(pool.workDir.resolve("server.json"), conf.encodePrettily());
      ChildJvm server = pool.spawn("server", jar, serverJvmArgs, List.of("server", "--port", "0", "--host",
          "127.0.0.1", "--conf", serverJson.toString(), "/v"), SERVER_READY, echo);
      pool.url = server.awaitReady(readyTimeout).group(1);
      return pool;
    } catch (IOException | InterruptedException | RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * Starts {@code java [jvmArgs] -cp classPath mainClass args} in the pool's folder, without waiting for its
   * ready line; it is stopped with the others (and counts among {@link #workers()}).
   */
  ChildJvm startMain(String label, List<String> jvmArgs, String classPath, String mainClass, List<String> args,
      Pattern ready) throws IOException {
    ChildJvm child = ChildJvm.startMain(label, jvmArgs, classPath, mainClass, workDir, args, ready, echo);
    return keep(child);
  }

  private ChildJvm spawn(String label, Path jar, List<String> jvmArgs, List<String> args, Pattern ready,
      boolean echo) throws IOException {
    return keep(ChildJvm.start(label, jar, workDir, jvmArgs, args, ready, echo));
  }

  private ChildJvm keep(ChildJvm child) {
    children.add(child);
    if (closed.get()) { // stopping began while this one was starting
      child.close();
      throw new IllegalStateException("the benchmark is stopping; " + child.label() + " was not kept");
    }
    return child;
  }

  /**
   * Starts one more worker JVM of one slot, like those of {@link #start}, without waiting for it: its
   * {@link ChildJvm#awaitReady} says when it has joined. It is stopped with the others.
   */
  synchronized ChildJvm startWorker() throws IOException {
    return spawn("worker-" + ++workersStarted, jar, workerJvmArgs, List.of("worker", url, "--instances", "1"),
        WORKER_READY, echo);
  }

  /** The server's address, {@code ws://127.0.0.1:PORT}. */
  String url() {
    return url;
  }

  /** The server JVM. */
  ChildJvm server() {
    return children.get(0);
  }

  /** The worker JVMs, in the order they were started. */
  List<ChildJvm> workers() {
    List<ChildJvm> all = List.copyOf(children);
    return all.isEmpty() ? all : all.subList(1, all.size());
  }

  /** CPU time used so far by the server JVM, in nanoseconds. */
  long serverCpuNanos() {
    return children.isEmpty() ? 0 : children.get(0).cpuNanos();
  }

  /** CPU time used so far by all worker JVMs together, in nanoseconds. */
  long workerCpuNanos() {
    return children.stream().skip(1).mapToLong(ChildJvm::cpuNanos).sum();
  }

  /** Whether the JIT compiler of this JVM or of a child is at work now ({@link JitActivity}). */
  boolean compiling() {
    return JitActivity.compiling(ProcessHandle.current().pid())
        || children.stream().anyMatch(c -> JitActivity.compiling(c.pid()));
  }

  /** One line for all children: label, process id and network transport of each. */
  String describe() {
    StringBuilder s = new StringBuilder();
    for (ChildJvm c : children) {
      s.append(s.length() == 0 ? "" : ", ").append(c.label()).append(" pid ").append(c.pid())
          .append(" ").append(c.transport());
    }
    return s.toString();
  }

  /** Stops the workers, then the server, waits for them, and deletes the temporary folder. */
  @Override
  public void close() {
    stopChildren();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run: it did the same
    }
  }

  private void stopChildren() {
    closed.set(true); // no early return: the hook and close() may race, and each must leave nothing running
    List<ChildJvm> reversed = new ArrayList<>(children);
    Collections.reverse(reversed); // workers first: a worker outliving its server only retries
    reversed.forEach(ChildJvm::requestStop);
    reversed.forEach(ChildJvm::close);
    deleteQuietly(workDir);
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover empty temporary folder is harmless
    }
  }
}
