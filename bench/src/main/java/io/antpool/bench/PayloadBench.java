package io.antpool.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.antpool.client.AntPoolExecutor;
import io.antpool.client.AntPoolOptions;
import io.antpool.config.NativeTransport;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

/**
 * Payloads ({@code bench/run-payload}, issue 10's benchmark 4): tasks whose results are 1 MiB and 32 MiB of
 * random bytes made on the worker, against the raw Vert.x WebSocket transfer of the same bytes between two JVMs
 * ({@link BlobServer}), measured in the same run, one transfer at a time, repetitions interleaved. A second raw
 * baseline relays the bytes through a third JVM, as AntPool's server stands between a worker and a client.
 */
public final class PayloadBench {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final long STUCK_SECONDS = 60;
  private static final int MIB = 1024 * 1024;
  private static final long SEED = 0x5DEECE66DL;
  private static final Pattern BLOB_READY = Pattern.compile("blob listening on (\\d+)");
  private static final Pattern RELAY_READY = Pattern.compile("relay listening on (\\d+)");
  private static final Pattern SOURCE_READY = Pattern.compile("source connected");
  private static final double TARGET = 1.5;
  private static final int PROFILED = 10;

  private final PrintStream out = System.out;
  private final int smallReps;
  private final int largeReps;
  private final boolean verbose;
  private final Path jfr;

  private PayloadBench(int smallReps, int largeReps, boolean verbose, Path jfr) {
    this.smallReps = smallReps;
    this.largeReps = largeReps;
    this.verbose = verbose;
    this.jfr = jfr;
  }

  /** One way of getting {@code size} bytes made from a seed into this JVM. */
  private interface Transfer {
    String name();

    /** The processes on its path, whose CPU time each fetch counts. */
    Processes processes();

    /** Fetches the bytes once; the time runs from the request to the bytes in hand. */
    Received fetch(int size, long seed) throws Exception;
  }

  /**
   * One fetch: its time, the CPU time each process of the path used meanwhile, and the length and CRC-32 of what
   * arrived (computed after the clock stopped).
   */
  private record Received(long nanos, long[] cpuNanos, int length, long crc) {
  }

  /**
   * Processes by name, and the CPU time each has used so far as the operating system counts it (every thread: the
   * garbage collector and the JIT compiler too; at the system clock's resolution, usually 10 ms, which the sum
   * over the repetitions smooths). Unlike elapsed times, CPU times barely depend on what else the machine runs.
   */
  private record Processes(List<String> names, List<ProcessHandle> handles) {
    /** @param nameThenJvm pairs of a name and a {@link ChildJvm}, or null for this JVM */
    static Processes of(Object... nameThenJvm) {
      List<String> names = new ArrayList<>();
      List<ProcessHandle> handles = new ArrayList<>();
      for (int i = 0; i < nameThenJvm.length; i += 2) {
        names.add((String) nameThenJvm[i]);
        handles.add(nameThenJvm[i + 1] instanceof ChildJvm child ? ProcessHandle.of(child.pid()).orElseThrow()
            : ProcessHandle.current());
      }
      return new Processes(names, handles);
    }

    long[] cpuNanos() {
      return handles.stream().mapToLong(CpuUse::nanos).toArray();
    }

    /** The CPU used since {@code before}, per process. */
    long[] since(long[] before) {
      long[] now = cpuNanos();
      for (int i = 0; i < now.length; i++) {
        now[i] -= before[i];
      }
      return now;
    }
  }

  /** The samples of one transfer at one size, in nanoseconds, and the CPU time of each process summed over them. */
  private record Series(String name, long[] nanos, Processes processes, long[] cpuNanos) {
    /** {@code server 12 + worker 30 = 42}: the mean CPU milliseconds of each process per fetch, and their sum. */
    String cpuPerFetch() {
      StringBuilder line = new StringBuilder();
      long total = 0;
      for (int i = 0; i < cpuNanos.length; i++) {
        line.append(i == 0 ? "" : " + ").append(processes.names().get(i)).append(' ')
            .append(Math.round(cpuNanos[i] / 1e6 / nanos.length));
        total += cpuNanos[i];
      }
      return line.append(" = ").append(Math.round(total / 1e6 / nanos.length)).toString();
    }

    double p50Millis() {
      double[] ms = new double[nanos.length];
      for (int i = 0; i < ms.length; i++) {
        ms[i] = nanos[i] / 1e6;
      }
      return Stats.median(ms);
    }
  }

  public static void main(String[] args) {
    int smallReps = 20;
    int largeReps = 8;
    boolean verbose = false;
    Path jfr = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--small-reps" -> smallReps = positive(args, ++i);
        case "--large-reps" -> largeReps = positive(args, ++i);
        case "--verbose" -> verbose = true;
        case "--jfr" -> jfr = Path.of(i + 1 < args.length ? args[++i] : "");
        default -> {
          System.out.println("usage: bench/run-payload [--small-reps N (1 MiB repetitions, 20)]"
              + " [--large-reps N (32 MiB repetitions, 8)] [--jfr DIR (then profile 32 MiB results)] [--verbose]");
          System.exit(args[i].equals("--help") ? 0 : 2);
        }
      }
    }
    int code = 0;
    try {
      new PayloadBench(smallReps, largeReps, verbose, jfr).run();
    } catch (Exception e) {
      System.err.println("PayloadBench failed: " + e.getMessage());
      if (verbose) {
        e.printStackTrace();
      }
      code = 1;
    }
    System.out.flush();
    // every child is stopped by now; exiting explicitly keeps a lingering non-daemon thread from hanging the run
    System.exit(code);
  }

  private static int positive(String[] args, int i) {
    int n = i < args.length ? Integer.parseInt(args[i]) : 0;
    if (n < 1) {
      throw new IllegalArgumentException(args[i - 1] + " needs a positive number");
    }
    return n;
  }

  private void run() throws Exception {
    long started = System.nanoTime();
    Path jar = FoundationBench.locateAntPoolJar();
    String classPath = jar + File.pathSeparator
        + Path.of(PayloadBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    out.printf(Locale.ROOT, "AntPool PayloadBench: Java %s (%s), %s %s, %d cores%n",
        System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
        System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
    out.println("antpool.jar: " + jar);
    Path dir = Files.createTempDirectory("antpool-payload-");
    // the raw JVMs are stopped by the try blocks below, or by this hook if this JVM is interrupted (Ctrl-C) first;
    // LoopbackPool has a hook of its own
    List<ChildJvm> raws = new CopyOnWriteArrayList<>();
    Thread hook = new Thread(() -> raws.forEach(ChildJvm::close), "bench-stop-raw-children");
    Runtime.getRuntime().addShutdownHook(hook);
    Vertx vertx = NativeTransport.vertx();
    try (ChildJvm blob = rawChild(raws, "blob", classPath, dir, List.of("serve"), BLOB_READY);
        ChildJvm relay = rawChild(raws, "relay", classPath, dir, List.of("relay"), RELAY_READY);
        LoopbackPool pool = LoopbackPool.start(jar, 1, READY_TIMEOUT, verbose)) {
      int relayPort = Integer.parseInt(relay.awaitReady(READY_TIMEOUT).group(1));
      try (ChildJvm source = rawChild(raws, "source", classPath, dir,
              List.of("source", Integer.toString(relayPort), "masked"), SOURCE_READY);
          ChildJvm unmasked = rawChild(raws, "source-unmasked", classPath, dir,
              List.of("source", Integer.toString(relayPort), "unmasked"), SOURCE_READY)) {
        int blobPort = Integer.parseInt(blob.awaitReady(READY_TIMEOUT).group(1));
        source.awaitReady(READY_TIMEOUT);
        unmasked.awaitReady(READY_TIMEOUT);
        out.printf(Locale.ROOT, "raw 1 hop: blob server pid %d -> harness%n", blob.pid());
        out.printf(Locale.ROOT, "transports: harness (client) %s, blob server %s, relay %s, sources %s and %s%n",
            NativeTransport.describe(vertx), blob.transport(), relay.transport(), source.transport(),
            unmasked.transport());
        out.printf(Locale.ROOT, "raw 2 hops: source pid %d -> relay pid %d -> harness (the source is a WebSocket"
            + " client of the relay, as a worker is of the AntPool server, and masks its frames as a client must)%n",
            source.pid(), relay.pid());
        out.printf(Locale.ROOT, "raw 2 unmasked: the same from source pid %d, which sends unmasked frames%n",
            unmasked.pid());
        out.printf(Locale.ROOT, "AntPool: %s (%s), 1 slot, rtype 2%n", pool.url(), pool.describe());
        out.println("heap (max, collector): harness (client) " + ownHeap() + "; server " + heap(pool.server())
            + "; worker " + heap(pool.workers().get(0)) + "; blob server " + heap(blob) + "; relay " + heap(relay)
            + "; sources " + heap(source) + ", " + heap(unmasked));
        out.printf(Locale.ROOT, "limits: WebSocket frames of at most 1 MiB, messages up to %d MiB from clients and"
            + " workers (the server's default maxFrameBytes), up to %d MiB to them; the same on the raw paths%n",
            BlobServer.SERVER_MAX_MESSAGE / MIB, BlobServer.CLIENT_MAX_MESSAGE / MIB);
        WebSocketClient client = vertx.createWebSocketClient(BlobServer.clientOptions());
        AntPoolExecutor executor = new AntPoolExecutor(new AntPoolOptions().setUrl(pool.url()).setMaxWorkers(1)
            .setRtype(2).setName("bench-payload"));
        try {
          Transfer antPool = antPool(Processes.of("worker", pool.workers().get(0), "server", pool.server(),
              "client", null), executor);
          List<Transfer> transfers = List.of(
              raw("raw 1 hop", Processes.of("blob", blob, "client", null), client, blobPort, "/"),
              raw("raw 2 hops", Processes.of("source", source, "relay", relay, "client", null), client, relayPort,
                  "/masked"),
              raw("raw 2 unmasked", Processes.of("source", unmasked, "relay", relay, "client", null), client,
                  relayPort, "/unmasked"),
              antPool);
          List<List<Series>> results = new ArrayList<>();
          List<Double> making = new ArrayList<>();
          for (int size : new int[] {MIB, 32 * MIB}) {
            boolean small = size == MIB;
            results.add(measure(transfers, size, small ? 30 : 3, small ? smallReps : largeReps));
            making.add(makingMillis(size, small ? 20 : 5));
          }
          report(new int[] {MIB, 32 * MIB}, results, making);
          if (jfr != null) {
            profile(new PayloadProfile(jfr, List.of(pool.server(), pool.workers().get(0))), antPool);
          }
        } finally {
          FoundationBench.close(executor);
          client.close().await();
        }
      }
    } finally {
      vertx.close().await();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run: it did the same
      }
      Files.deleteIfExists(dir); // the raw JVMs write nothing there
    }
    out.printf(Locale.ROOT, "total time %.0f s; every JVM stopped%n", (System.nanoTime() - started) / 1e9);
  }

  /** Starts a {@link BlobServer} JVM in {@code dir} and adds it to {@code raws}. */
  private ChildJvm rawChild(List<ChildJvm> raws, String label, String classPath, Path dir, List<String> args,
      Pattern ready) throws IOException {
    ChildJvm child = ChildJvm.startMain(label, classPath, BlobServer.class.getName(), dir, args, ready, verbose);
    raws.add(child);
    return child;
  }

  /**
   * Warms every transfer up with {@code warmUps} fetches of {@code size}, then runs {@code reps} rounds, each
   * fetching once through every transfer in turn, so a drift of the machine spreads over all of them.
   */
  private List<Series> measure(List<Transfer> transfers, int size, int warmUps, int reps) throws Exception {
    out.printf(Locale.ROOT, "%n%d MiB: %d warm-up fetches per transfer, then %d rounds%n", size / MIB, warmUps,
        reps);
    long expected = crc(BenchTasks.randomBytes(size, SEED));
    for (Transfer t : transfers) {
      for (int i = 0; i < warmUps; i++) {
        check(t, t.fetch(size, SEED), size, expected);
      }
    }
    long[][] samples = new long[transfers.size()][reps];
    long[][] cpu = new long[transfers.size()][];
    for (int r = 0; r < reps; r++) {
      for (int t = 0; t < transfers.size(); t++) {
        Received got = check(transfers.get(t), transfers.get(t).fetch(size, SEED), size, expected);
        samples[t][r] = got.nanos();
        cpu[t] = cpu[t] == null ? got.cpuNanos() : sum(cpu[t], got.cpuNanos());
      }
    }
    List<Series> series = new ArrayList<>();
    for (int t = 0; t < transfers.size(); t++) {
      series.add(new Series(transfers.get(t).name(), samples[t], transfers.get(t).processes(), cpu[t]));
      out.printf(Locale.ROOT, "   %-14s [ms]: %s%n", transfers.get(t).name(), Arrays.stream(samples[t])
          .mapToObj(n -> ResultTable.millis(n / 1e6)).collect(Collectors.joining(" ")));
    }
    return series;
  }

  private static long[] sum(long[] a, long[] b) {
    long[] sum = a.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += b[i];
    }
    return sum;
  }

  /** Records {@value #PROFILED} AntPool tasks of 32 MiB with JFR on every JVM of their path, and summarises. */
  private void profile(PayloadProfile profile, Transfer antPool) throws Exception {
    out.printf(Locale.ROOT, "%nprofile: %d AntPool tasks of 32 MiB, one at a time, recorded by JFR on the server, the"
        + " worker and the harness (the client)%n", PROFILED);
    long expected = crc(BenchTasks.randomBytes(32 * MIB, SEED));
    profile.start();
    for (int i = 0; i < PROFILED; i++) {
      check(antPool, antPool.fetch(32 * MIB, SEED), 32 * MIB, expected);
    }
    profile.stopAndSummarise(PROFILED, out);
  }

  private static Received check(Transfer t, Received got, int size, long expectedCrc) {
    if (got.length() != size || got.crc() != expectedCrc) {
      throw new IllegalStateException(t.name() + ": got " + got.length() + " bytes with CRC-32 " + got.crc()
          + ", expected " + size + " bytes with CRC-32 " + expectedCrc);
    }
    return got;
  }

  /** The time to make the bytes in this JVM: the task's own work, which the AntPool figure includes. */
  private static double makingMillis(int size, int reps) {
    double[] ms = new double[reps];
    long sink = 0;
    for (int i = -reps; i < reps; i++) { // the first half warms up
      long t0 = System.nanoTime();
      sink += BenchTasks.randomBytes(size, SEED + i)[size - 1];
      if (i >= 0) {
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    return Stats.median(ms) + (sink == Long.MIN_VALUE ? 1 : 0); // sink is used so no call can be optimised away
  }

  private void report(int[] sizes, List<List<Series>> results, List<Double> making) {
    String format = "%-7s | %-14s | %10s | %7s | %-14s | %s%n";
    String rule = "-".repeat(7) + "-+-" + "-".repeat(14) + "-+-" + "-".repeat(10) + "-+-" + "-".repeat(7) + "-+-"
        + "-".repeat(14) + "-+-" + "-".repeat(40);
    out.println();
    out.printf(Locale.ROOT, format, "size", "transfer", "p50", "MiB/s", "AntPool / this", "CPU ms per transfer");
    double largeRatio = Double.NaN;
    for (int i = 0; i < sizes.length; i++) {
      out.println(rule);
      List<Series> s = results.get(i);
      double antPool = s.get(s.size() - 1).p50Millis();
      for (Series series : s) {
        double p50 = series.p50Millis();
        out.printf(Locale.ROOT, format, sizes[i] / MIB + " MiB", series.name(), ResultTable.millis(p50) + " ms",
            ResultTable.count(sizes[i] / (double) MIB / (p50 / 1e3)), ResultTable.ratio(antPool / p50) + "x",
            series.cpuPerFetch());
      }
      largeRatio = antPool / s.get(0).p50Millis();
    }
    out.println(rule);
    out.printf(Locale.ROOT, "making the bytes (the task's own work, in the AntPool figure; timed in the harness"
        + " JVM): p50 %s ms for 1 MiB, %s ms for 32 MiB%n", ResultTable.millis(making.get(0)),
        ResultTable.millis(making.get(1)));
    out.printf(Locale.ROOT, "target (issue 10): a 32 MiB result at most %.1fx the raw transfer time (raw 1 hop): %sx,"
        + " %s%n", TARGET, ResultTable.ratio(largeRatio), largeRatio <= TARGET ? "met" : "NOT MET");
    out.println("times run from the request (submit) to the bytes in hand, one transfer at a time; every result's"
        + " length and CRC-32 checked; the machine may be shared, so look at the samples above");
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  /** A raw path: one WebSocket to {@code port}, one request and one whole answer at a time. */
  private static Transfer raw(String name, Processes processes, WebSocketClient client, int port, String path)
      throws Exception {
    ClientWebSocket ws = client.webSocket();
    CompletableFuture<?>[] next = {new CompletableFuture<Buffer>()};
    ws.binaryMessageHandler(answer -> {
      @SuppressWarnings("unchecked")
      CompletableFuture<Buffer> waiting = (CompletableFuture<Buffer>) next[0];
      waiting.complete(answer);
    });
    ws.closeHandler(v -> next[0].completeExceptionally(new IllegalStateException(name + ": the WebSocket closed ("
        + ws.closeStatusCode() + " " + ws.closeReason() + ")")));
    ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path)).await();
    return new Transfer() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Processes processes() {
        return processes;
      }

      @Override
      public Received fetch(int size, long seed) throws Exception {
        CompletableFuture<Buffer> answer = new CompletableFuture<>();
        next[0] = answer;
        long[] cpu = processes.cpuNanos();
        long t0 = System.nanoTime();
        ws.writeBinaryMessage(BlobServer.request(size, seed));
        Buffer bytes = answer.get(STUCK_SECONDS, TimeUnit.SECONDS);
        long nanos = System.nanoTime() - t0;
        return new Received(nanos, processes.since(cpu), bytes.length(), crc(bytes.getBytes()));
      }
    };
  }

  /** AntPool: a task that makes the bytes on the worker and returns them. */
  private static Transfer antPool(Processes processes, AntPoolExecutor executor) {
    Target target = Target.antPool("AntPool", executor);
    return new Transfer() {
      @Override
      public String name() {
        return "AntPool";
      }

      @Override
      public Processes processes() {
        return processes;
      }

      @Override
      public Received fetch(int size, long seed) throws Exception {
        long[] cpu = processes.cpuNanos();
        long t0 = System.nanoTime();
        byte[] bytes = Measure.await(target, target.submit(BenchTasks.payload(size, seed)));
        long nanos = System.nanoTime() - t0;
        return new Received(nanos, processes.since(cpu), bytes.length, crc(bytes));
      }
    };
  }

  /** This JVM's maximum heap and collectors. */
  private static String ownHeap() {
    long max = Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
        .getVMOption("MaxHeapSize").getValue());
    return gib(max) + " " + ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).collect(Collectors.joining("/"));
  }

  /** A child's maximum heap and collector, from {@code jcmd PID VM.flags}. */
  private static String heap(ChildJvm child) throws Exception {
    String flags = child.jcmd("VM.flags");
    Matcher max = Pattern.compile("-XX:MaxHeapSize=(\\d+)").matcher(flags);
    Matcher gc = Pattern.compile("-XX:\\+Use(\\w+)GC\\b").matcher(flags);
    return (max.find() ? gib(Long.parseLong(max.group(1))) : "?") + " " + (gc.find() ? gc.group(1) : "?");
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
