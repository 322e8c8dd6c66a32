package io.antpool.bench;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server against 10,000 workers ({@code bench/run-scale}, issue 10's benchmark 5): a server JVM with its heap
 * capped at 1 GiB ({@code -Xmx1g}), {@link SimulatedWorkers} in other JVMs ({@link SimulatedWorkerJvm}), and 100
 * clients in another ({@link ScaleClients}), all on loopback. It measures the dispatch throughput with 2 worker
 * slots, connects the rest up to 10,000 and measures it again with the same clients, lets the 9,998 go and
 * measures with 2 once more (the drift of a warming server and a shared machine shows between the first and the
 * last); and the server's live heap (after a full collection) at each step. It prints the heap per worker slot,
 * the throughputs with the server's CPU time per task, and the ratio of the throughput with 10,000 slots to that
 * with 2 (issue 10's targets: under 1 GiB, at least 0.5; printed, not asserted).
 */
public final class ScaleBench {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Pattern SIM_READY = Pattern.compile("simulated workers ready: (\\d+) in (\\d+) ms");
  private static final Pattern CLIENTS_READY = Pattern.compile("clients connected: (\\d+) in (\\d+) ms");
  private static final Pattern MEASURED =
      Pattern.compile("measured (\\d+) tasks in (\\d+) ns; slowest second (\\d+), fastest (\\d+)");
  /** The server's warning for a peer it closes as dead: counted, since the run's slot counts then lie. */
  private static final String DEAD_PEER = "closing its connection as dead";
  /** The last line of a JVM of simulated workers: how many connections found the server silent and reconnected. */
  private static final Pattern SIM_GAVE_UP = Pattern.compile("simulated workers answered \\d+ tasks; (\\d+) gave up");
  private static final long IDLE_SECONDS = 5;
  /** The server's own default {@code peerTimeoutMillis} (this module does not depend on the server's). */
  private static final long SERVER_PEER_TIMEOUT_MILLIS = 10_000;
  private static final double MIB = 1024.0 * 1024;

  private final Settings settings;
  private final LoopbackPool pool;
  private final String classPath;
  private final PrintStream out = System.out;
  /** Every live heap taken, in order. */
  private final List<Heap> heaps = new ArrayList<>();
  private final AtomicInteger deadPeers = new AtomicInteger();
  private final AtomicInteger silentServer = new AtomicInteger();

  private ScaleBench(Settings settings, LoopbackPool pool, String classPath) {
    this.settings = settings;
    this.pool = pool;
    this.classPath = classPath;
  }

  /** The options; see {@link #usage()}. */
  private record Settings(int workers, int workerJvms, int clients, int window, int warmUp, int seconds,
      long peerTimeoutMillis, boolean verbose) {

    /**
     * The server's configuration: the defaults (auth {@code token}; {@code maxConnections} 20,000 holds 10,000
     * workers and 100 clients) but for the timeouts that declare a peer dead. The hello timeout is a minute: a
     * JVM opening thousands of connections on a busy machine can take longer than the default 10 s to send a
     * hello. The ping timeout is the server's default unless {@code --peer-timeout-ms} says otherwise: it sets
     * how often the server pings each worker (a quarter of it), a cost that grows with the pool.
     */
    JsonObject serverConf() {
      return new JsonObject().put("peerTimeoutMillis", peerTimeoutMillis).put("helloTimeoutMillis", 60_000);
    }
  }

  /** The server's live heap at one step. */
  private record Heap(String label, long bytes) {
  }

  /** One throughput phase, as the clients counted it, and the server's CPU time meanwhile. */
  private record Phase(String label, long tasks, double seconds, long serverCpuNanos, long slowestSecond,
      long fastestSecond) {
    double rate() {
      return tasks / seconds;
    }

    double serverCpuMillisPerSecond() {
      return serverCpuNanos / 1e6 / seconds;
    }

    double serverCpuMicrosPerTask() {
      return tasks == 0 ? Double.NaN : serverCpuNanos / 1e3 / tasks;
    }
  }

  private static String usage() {
    return "usage: bench/run-scale [--workers N (10000)] [--worker-jvms N (2)] [--clients N (100)] [--window N"
        + " (100 tasks in flight per client)] [--warmup N (10 s per phase)] [--seconds N (15 s measured per"
        + " phase)] [--peer-timeout-ms N (the server's peerTimeoutMillis, default its own: 10000)] [--verbose]";
  }

  public static void main(String[] args) throws Exception {
    int workers = 10_000;
    int workerJvms = 2;
    int clients = 100;
    int window = 100;
    int warmUp = 10;
    int seconds = 15;
    long peerTimeout = SERVER_PEER_TIMEOUT_MILLIS;
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--worker-jvms" -> workerJvms = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--window" -> window = Integer.parseInt(args[++i]);
        case "--warmup" -> warmUp = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--peer-timeout-ms" -> peerTimeout = Long.parseLong(args[++i]);
        case "--verbose", "-v" -> verbose = true;
        default -> {
          System.out.println(usage());
          System.exit("--help".equals(args[i]) || "-h".equals(args[i]) ? 0 : 2);
        }
      }
    }
    if (workers < 3 || workerJvms < 1 || clients < 1 || window < 1 || warmUp < 0 || seconds < 1) {
      System.out.println("bench/run-scale: --workers must be at least 3 (2 are the baseline), the other counts at"
          + " least 1 (--warmup at least 0)");
      System.out.println(usage());
      System.exit(2);
    }
    Path jar = FoundationBench.locateAntPoolJar();
    String classPath = jar + File.pathSeparator
        + Path.of(ScaleBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Settings settings = new Settings(workers, workerJvms, clients, window, warmUp, seconds, peerTimeout,
        verbose);
    try (LoopbackPool pool = LoopbackPool.startServer(jar, List.of("-Xmx1g"), settings.serverConf(), READY_TIMEOUT,
        verbose)) {
      new ScaleBench(settings, pool, classPath).run();
    }
  }

  private void run() throws Exception {
    ChildJvm server = pool.server();
    server.listen(line -> {
      if (line.contains(DEAD_PEER)) {
        deadPeers.incrementAndGet();
      }
    });
    int more = settings.workers() - 2;
    out.printf(Locale.ROOT, "scale: server %s pid %d (-Xmx1g), %,d simulated worker slots (2, then %,d more in %d"
        + " JVMs), %d clients in one JVM keeping %d trivial tasks in flight each; %d s warm-up and %d s measured"
        + " per phase; server peerTimeoutMillis %,d; Java %s, %d cores%n", pool.url(), server.pid(),
        settings.workers(), more, settings.workerJvms(), settings.clients(), settings.window(), settings.warmUp(),
        settings.seconds(), settings.peerTimeoutMillis(), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    heap("empty server");

    startWorkers("simulated-base", 2, 1).awaitReady(READY_TIMEOUT);
    Heap heapTwo = heap("2 workers");
    double idleTwo = idleCpu("2 workers");
    Phase two = clientsPhase("2 workers", "2 workers + " + settings.clients() + " idle clients");

    // the rest, in parallel JVMs of equal shares; the connect time runs from their start to the last welcome
    List<ChildJvm> big = new ArrayList<>();
    long cpu0 = pool.serverCpuNanos();
    long t0 = System.nanoTime();
    int first = 3;
    for (int i = 0; i < settings.workerJvms(); i++) {
      int share = more / settings.workerJvms() + (i < more % settings.workerJvms() ? 1 : 0);
      big.add(startWorkers("simulated-" + (i + 1), share, first));
      first += share;
    }
    StringBuilder own = new StringBuilder();
    for (ChildJvm jvm : big) {
      Matcher ready = awaitWelcomed(jvm);
      own.append(own.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,d in %.1f s",
          Integer.parseInt(ready.group(1)), Long.parseLong(ready.group(2)) / 1e3));
    }
    double connectSeconds = (System.nanoTime() - t0) / 1e9;
    long connectCpu = pool.serverCpuNanos() - cpu0;
    int listed = StatusApi.read(pool.url()).getJsonArray("workers").size(); // fewer if some were closed as dead
    out.printf(Locale.ROOT, "connect: %,d more slots in %.1f s from the start of their JVMs (%,.0f slots/s; each"
        + " JVM's own count: %s), server CPU %.1f s; the status report lists %,d workers%n", more, connectSeconds,
        more / connectSeconds, own, connectCpu / 1e9, listed);
    Heap heapAll = heap(String.format(Locale.ROOT, "%,d workers", settings.workers()));
    double idleAll = idleCpu(String.format(Locale.ROOT, "%,d workers", settings.workers()));
    Phase all = clientsPhase(String.format(Locale.ROOT, "%,d workers", settings.workers()),
        String.format(Locale.ROOT, "%,d workers + %d idle clients", settings.workers(), settings.clients()));

    for (ChildJvm jvm : big) {
      jvm.requestStop(); // each closes its connections before it ends, so the server has seen them leave
    }
    big.forEach(ChildJvm::close);
    heap(String.format(Locale.ROOT, "2 workers, after %,d left", more));
    Phase again = clientsPhase("2 workers again", null);

    out.printf("%nlive heap of the server after a full collection (-Xmx1g):%n");
    for (Heap h : heaps) {
      out.printf(Locale.ROOT, "  %-36s %9.1f MiB%n", h.label(), h.bytes() / MIB);
    }
    // per slot the server held: the status report's count, fewer than asked if some were closed as dead
    out.printf(Locale.ROOT, "  per worker slot: %,.0f bytes ((%s - 2 workers) / %,d, the %,d the status report"
        + " listed less 2)%n", (heapAll.bytes() - heapTwo.bytes()) / (double) (listed - 2), heapAll.label(),
        listed - 2, listed);

    out.printf(Locale.ROOT, "%n%-20s %12s %10s %18s %16s %18s%n", "phase", "tasks", "tasks/s",
        "slowest/fastest s", "server CPU ms/s", "server CPU us/task");
    for (Phase p : List.of(two, all, again)) {
      out.printf(Locale.ROOT, "%-20s %,12d %,10.0f %18s %16.1f %18.1f%n", p.label(), p.tasks(), p.rate(),
          String.format(Locale.ROOT, "%,d / %,d", p.slowestSecond(), p.fastestSecond()),
          p.serverCpuMillisPerSecond(), p.serverCpuMicrosPerTask());
    }
    // the first 2-worker phase meets the coldest server; the last one the warmest: both ratios are printed
    double baseline = (two.rate() + again.rate()) / 2;
    double baselineCpu = (two.serverCpuMicrosPerTask() + again.serverCpuMicrosPerTask()) / 2;
    out.printf(Locale.ROOT, "%n%,d workers / 2 workers (same run): throughput %.2fx against the mean of the two"
        + " 2-worker phases, %.2fx against the last (target at least 0.5x); server CPU per task %.2fx and %.2fx%n",
        settings.workers(), all.rate() / baseline, all.rate() / again.rate(),
        all.serverCpuMicrosPerTask() / baselineCpu, all.serverCpuMicrosPerTask() / again.serverCpuMicrosPerTask());
    out.printf(Locale.ROOT, "server CPU while no task runs: %.1f ms/s with 2 workers, %.1f ms/s with %,d (each"
        + " simulated worker pings the server after a quarter of its own 10 s timeout of quiet; the server pings"
        + " only a peer quiet for %,d ms, half of peerTimeoutMillis; measured seconds after the connect, while the"
        + " JIT may still compile)%n", idleTwo, idleAll, settings.workers(), settings.peerTimeoutMillis() / 2);
    if (deadPeers.get() > 0) {
      out.printf(Locale.ROOT, "WARNING: the server closed %,d simulated workers as dead (no pong within %,d ms): the"
          + " machine was too busy for them; the figures with %,d workers hold fewer; try --peer-timeout-ms 60000%n",
          deadPeers.get(), settings.peerTimeoutMillis(), settings.workers());
    }
    if (silentServer.get() > 0) {
      out.printf(Locale.ROOT, "WARNING: %,d simulated worker connections found the server silent for a worker's"
          + " 10 s and connected again%n", silentServer.get());
    }
    out.printf(Locale.ROOT, "largest server live heap of the run (%,d workers, %d clients): %.1f MiB (target under"
        + " 1,024 MiB)%n", settings.workers(), settings.clients(),
        heaps.stream().mapToLong(Heap::bytes).max().orElse(0) / MIB);
  }

  /** The server's CPU time per second, over {@value #IDLE_SECONDS} s while no task runs. */
  private double idleCpu(String label) throws InterruptedException {
    long cpu0 = pool.serverCpuNanos();
    long t0 = System.nanoTime();
    TimeUnit.SECONDS.sleep(IDLE_SECONDS);
    double perSecond = (pool.serverCpuNanos() - cpu0) / 1e6 / ((System.nanoTime() - t0) / 1e9);
    out.printf(Locale.ROOT, "server CPU with %s and no task: %.1f ms/s%n", label, perSecond);
    return perSecond;
  }

  /**
   * Waits for a JVM of simulated slots to say all were welcomed, as long as it keeps reporting batches: on a
   * loaded machine 5,000 take minutes, and what matters is that they keep coming, not a fixed limit.
   */
  private Matcher awaitWelcomed(ChildJvm jvm) throws InterruptedException {
    AtomicLong lastBatch = new AtomicLong(System.nanoTime());
    jvm.listen(line -> {
      Matcher gaveUp = SIM_GAVE_UP.matcher(line);
      if (line.startsWith("simulated workers welcomed")) {
        lastBatch.set(System.nanoTime());
      } else if (gaveUp.find()) { // its last line, when it is stopped
        silentServer.addAndGet(Integer.parseInt(gaveUp.group(1)));
      }
    });
    while (true) {
      try {
        return jvm.awaitReady(Duration.ofSeconds(5));
      } catch (IllegalStateException e) {
        if (!jvm.isAlive() || System.nanoTime() - lastBatch.get() > READY_TIMEOUT.toNanos()) {
          throw e;
        }
      }
    }
  }

  /** Starts a JVM of {@code count} simulated slots named from {@code firstNumber} on; ready when all joined. */
  private ChildJvm startWorkers(String label, int count, int firstNumber) throws Exception {
    return pool.startMain(label, List.of("-Xmx1g"), classPath, SimulatedWorkerJvm.class.getName(),
        List.of(pool.url(), Integer.toString(count), Integer.toString(firstNumber)), SIM_READY);
  }

  /**
   * Runs the clients' JVM: connect, warm up, measure, drain; records the server's live heap with the clients
   * connected and idle (when {@code heapLabel} is given), then stops them.
   */
  private Phase clientsPhase(String label, String heapLabel) throws Exception {
    CompletableFuture<Long> measuringCpu = new CompletableFuture<>();
    CompletableFuture<Phase> measured = new CompletableFuture<>();
    CompletableFuture<Void> idle = new CompletableFuture<>();
    try (ChildJvm clients = pool.startMain("clients", List.of("-Xmx1g"), classPath, ScaleClients.class.getName(),
        List.of(pool.url(), Integer.toString(settings.clients()), Integer.toString(settings.window()),
            Integer.toString(settings.warmUp()), Integer.toString(settings.seconds())), CLIENTS_READY)) {
      clients.listen(line -> {
        Matcher m = MEASURED.matcher(line);
        if (line.equals("measuring")) {
          measuringCpu.complete(pool.serverCpuNanos()); // read at once, on the thread that reads the line
        } else if (m.matches()) {
          long cpu = pool.serverCpuNanos() - measuringCpu.getNow(0L);
          measured.complete(new Phase(label, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) / 1e9, cpu,
              Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
        } else if (line.startsWith("clients idle")) {
          idle.complete(null);
        } else if (line.startsWith("task failed")) {
          measured.completeExceptionally(new IllegalStateException(label + ": " + line));
        }
      });
      Matcher ready = clients.awaitReady(READY_TIMEOUT);
      out.printf(Locale.ROOT, "%s: %s clients connected in %.1f s%n", label, ready.group(1),
          Long.parseLong(ready.group(2)) / 1e3);
      long limit = settings.warmUp() + settings.seconds() + 60;
      Phase phase = await(measured, limit, clients, label + ": no measurement");
      out.printf(Locale.ROOT, "%s: %,.0f tasks/s, server CPU %.1f us per task%n", label, phase.rate(),
          phase.serverCpuMicrosPerTask());
      await(idle, 70, clients, label + ": the clients did not become idle");
      if (heapLabel != null) {
        heap(heapLabel);
      }
      return phase;
    }
  }

  private static <T> T await(CompletableFuture<T> future, long seconds, ChildJvm child, String what)
      throws InterruptedException {
    try {
      return future.get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " within " + seconds + " s; the clients' last output:\n"
          + child.lastOutput());
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage() + "; the clients' last output:\n"
          + child.lastOutput(), e.getCause());
    }
  }

  /** Takes the server's live heap, prints it and keeps it in {@link #heaps}. */
  private Heap heap(String label) throws Exception {
    Heap heap = new Heap(label, LiveHeap.bytes(pool.server()));
    heaps.add(heap);
    out.printf(Locale.ROOT, "server live heap, %s: %.1f MiB%n", label, heap.bytes() / MIB);
    return heap;
  }
}
