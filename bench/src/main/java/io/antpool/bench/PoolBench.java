package io.antpool.bench;

import io.antpool.client.AntPoolExecutor;
import io.antpool.client.AntPoolOptions;
import io.antpool.config.NativeTransport;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Issue 10's benchmarks 1 to 3, each one command ({@code bench/run-throughput}, {@code bench/run-latency},
 * {@code bench/run-cpu}), every figure next to baselines measured in the same run by the same {@link Measure}
 * code with the same task objects:
 *
 * <ol>
 *   <li>throughput: trivial tasks ({@code x * 2}) with 1, 64 and 1,024 in flight on AntPool (a server and two
 *       one-slot worker JVMs, once with the server's defaults ({@code prefetch} 16) and once with
 *       {@code prefetch} N, by default 1: one task at a time per slot), on a
 *       local {@code ThreadPoolExecutor(2)}, on Hazelcast's {@code IExecutorService} (two member JVMs), and
 *       over a raw WebSocket echo between two JVMs (the floor of one hop); then {@code map} over 1,000,000 items
 *       with chunksize 1,000, on AntPool and on the same chunks on {@code ThreadPoolExecutor(2)};</li>
 *   <li>latency: the round trip of one task at a time, p50 and p99, on the same four;</li>
 *   <li>CPU-bound scaling: 20 tasks of about 0.5 s each, serial, on {@code ThreadPoolExecutor(2)} and on
 *       AntPool's two worker JVMs.</li>
 * </ol>
 *
 * No figure is asserted; the run fails (exit 1) only when a task fails, returns a wrong value or hangs.
 */
public final class PoolBench {
  static final String USAGE = """
      usage: bench/run-throughput | bench/run-latency | bench/run-cpu  [options]
        (PoolBench --part throughput|latency|cpu|all [options])
        --seconds N    length of each throughput window and round-trip run (default 3)
        --prefetch N   the prefetch of the second AntPool server (default 1; the first has the server's default, 16)
        --items N      items of the map run (default 1000000)
        --cpu-tasks N  tasks of the CPU-bound job (default 20)
        --task-ms N    length of one CPU task (default 500)
        --verbose      also show the children's output (on standard error)""";
  private static final int SLOTS = 2;
  private static final int[] WINDOWS = {1, 64, 1_024};
  private static final int CHUNK = 1_000;
  private static final Duration WARMUP_ROUND = Duration.ofSeconds(1);
  private static final Duration WARMUP_BUDGET = Duration.ofSeconds(60);
  private static final long WARMUP_TASKS = 100_000;
  private static final Duration READY = Duration.ofSeconds(120);
  /** Before the CPU job: all JVMs together below 5 % of a core over half a second after a burst, 30 s at most. */
  private static final double SETTLED_SHARE = 0.05;
  private static final Duration SETTLE_INTERVAL = Duration.ofMillis(500);
  private static final Duration SETTLE_BUDGET = Duration.ofSeconds(30);
  private static final int MAX_ROUND_TRIPS = 200_000;
  /** Unmeasured one-at-a-time round trips before each target's latency is measured. */
  private static final Duration LATENCY_WARMUP = Duration.ofSeconds(5);

  private final PrintStream out = System.out;
  private final ResultTable table = new ResultTable("figure", "AntPool", "baseline", "ratio");
  private final String part;
  private final Duration seconds;
  private final int prefetch;
  private final int items;
  private final int cpuTasks;
  private final Duration taskLength;
  private final boolean verbose;

  private PoolBench(String part, Duration seconds, int prefetch, int items, int cpuTasks, Duration taskLength,
      boolean verbose) {
    this.part = part;
    this.seconds = seconds;
    this.prefetch = prefetch;
    this.items = items;
    this.cpuTasks = cpuTasks;
    this.taskLength = taskLength;
    this.verbose = verbose;
  }

  public static void main(String[] args) {
    PoolBench bench;
    try {
      bench = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("PoolBench: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    if (bench == null) {
      System.out.println(USAGE);
      return;
    }
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "antpool-bench-logback.xml");
    }
    HazelcastMember.quietLogging();
    int code = 0;
    try {
      bench.run();
    } catch (Exception e) {
      System.err.println("PoolBench failed: " + e);
      if (bench.verbose) {
        e.printStackTrace();
      }
      code = 1;
    }
    System.out.flush();
    System.exit(code); // every child is stopped by now; a lingering non-daemon thread must not hang the run
  }

  private static PoolBench parse(String[] args) {
    String part = "all";
    int seconds = 3;
    int prefetch = 1;
    int items = 1_000_000;
    int cpuTasks = 20;
    int taskMs = 500;
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help" -> {
          return null;
        }
        case "--verbose" -> verbose = true;
        case "--part" -> {
          if (++i >= args.length || !List.of("throughput", "latency", "cpu", "all").contains(args[i])) {
            throw new IllegalArgumentException("--part needs throughput, latency, cpu or all");
          }
          part = args[i];
        }
        case "--seconds" -> seconds = BenchArgs.positive(args, ++i);
        case "--prefetch" -> prefetch = BenchArgs.positive(args, ++i);
        case "--items" -> items = BenchArgs.positive(args, ++i);
        case "--cpu-tasks" -> cpuTasks = BenchArgs.positive(args, ++i);
        case "--task-ms" -> taskMs = BenchArgs.positive(args, ++i);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    return new PoolBench(part, Duration.ofSeconds(seconds), prefetch, items, cpuTasks, Duration.ofMillis(taskMs),
        verbose);
  }


  private boolean runs(String which) {
    return part.equals("all") || part.equals(which);
  }

  private void run() throws Exception {
    long started = System.nanoTime();
    out.printf(Locale.ROOT, "AntPool PoolBench (%s): Java %s (%s), %s %s, %d cores%n", part,
        System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
        System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
    out.println("network transport of this JVM (the AntPool clients, the echo client): " + NativeTransport.describe());
    Path jar = FoundationBench.locateAntPoolJar();
    String classPath = jar + File.pathSeparator
        + Path.of(PoolBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ExecutorService threads = Executors.newFixedThreadPool(SLOTS, r -> {
      Thread t = new Thread(r, "bench-local-pool");
      t.setDaemon(true);
      return t;
    });
    Target local = Target.local("ThreadPoolExecutor(2)", threads);
    try (LoopbackPool plain = LoopbackPool.start(jar, SLOTS, List.of(), null, READY, verbose)) {
      out.println("AntPool (the server's defaults: prefetch 16): " + plain.url() + " ("
          + plain.describe() + ")");
      AntPoolExecutor plainExecutor = executor(plain.url(), "default");
      try {
        Target antPool = Target.antPool("AntPool", plainExecutor);
        if (runs("throughput") || runs("latency")) {
          try (LoopbackPool prefetching = LoopbackPool.start(jar, SLOTS, List.of(), "{\"prefetch\": " + prefetch
              + "}", READY, verbose);
              EchoTarget echo = EchoTarget.start(classPath, READY);
              HazelcastBaseline hazelcast = HazelcastBaseline.start("Hazelcast", classPath,
                  HazelcastCluster.DEFAULT_EXECUTOR_THREADS, READY, verbose)) {
            out.println("AntPool prefetch " + prefetch + " (server option): " + prefetching.url() + " ("
                + prefetching.describe() + ")");
            out.println("raw WebSocket echo server pid " + echo.serverPid() + " (transport: " + echo.transports()
                + "); Hazelcast: two member JVMs, this"
                + " JVM a lite member");
            AntPoolExecutor prefetchExecutor = executor(prefetching.url(), "prefetch-" + prefetch);
            try {
              Target antPoolPrefetch = Target.antPool("AntPool prefetch " + prefetch, prefetchExecutor);
              List<Target> all = List.of(local, echo, hazelcast, antPool, antPoolPrefetch);
              warmUp(all);
              if (runs("throughput")) {
                throughput(all, plain, prefetching);
                map(local, plainExecutor, prefetchExecutor);
              }
              if (runs("latency")) {
                latency(List.of(local, echo, hazelcast, antPool));
              }
            } finally {
              prefetchExecutor.close();
            }
          }
        }
        if (runs("cpu")) {
          cpu(local, antPool, plain);
        }
      } finally {
        plainExecutor.close();
      }
    } finally {
      threads.shutdownNow();
    }
    out.println();
    table.print(out);
    out.printf(Locale.ROOT, "total time %.0f s; every child JVM stopped%n", (System.nanoTime() - started) / 1e9);
  }

  private static AntPoolExecutor executor(String url, String name) {
    return new AntPoolExecutor(new AntPoolOptions().setUrl(url).setMaxWorkers(WINDOWS[WINDOWS.length - 1])
        .setRtype(2).setName("bench-" + name));
  }

  private void warmUp(List<Target> targets) throws Exception {
    out.printf(Locale.ROOT, "%nwarm-up, 64 in flight, 1 s rounds until steady (at most %d s each)%n",
        WARMUP_BUDGET.toSeconds());
    for (Target target : targets) {
      Measure.WarmUp w = Measure.warmUp(target, 64, WARMUP_ROUND, WARMUP_TASKS, WARMUP_BUDGET);
      StringBuilder line = new StringBuilder("   " + target.name() + " [tasks/s]:");
      for (double r : w.rates()) {
        line.append(' ').append(ResultTable.count(r));
      }
      out.println(line.append(w.steady() ? "" : " (not steady: figures below may be low)"));
    }
  }

  // ---- 1. throughput ----------------------------------------------------------------------------------

  private void throughput(List<Target> targets, LoopbackPool plain, LoopbackPool prefetching) throws Exception {
    out.printf(Locale.ROOT, "%n1. trivial-task throughput (%d s per target and window) [tasks/s]%n",
        seconds.toSeconds());
    for (int window : WINDOWS) {
      double[] rates = new double[targets.size()];
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "   %,5d in flight:", window));
      List<String> cpuNotes = new ArrayList<>();
      for (int i = 0; i < targets.size(); i++) {
        LoopbackPool pool = i == 3 ? plain : i == 4 ? prefetching : null;
        CpuUse before = pool == null ? null : CpuUse.of(pool);
        Measure.Run run = Measure.throughput(targets.get(i), window, Long.MAX_VALUE, seconds);
        rates[i] = run.rate();
        line.append(String.format(Locale.ROOT, "  %s %s", targets.get(i).name(), ResultTable.count(run.rate())));
        if (pool != null) {
          CpuUse used = CpuUse.of(pool).minus(before);
          cpuNotes.add(String.format(Locale.ROOT, "%s, %,d in flight: CPU per task %.0f us (server %.0f, workers"
              + " %.0f, client %.0f)", targets.get(i).name(), window, used.totalNanos() / 1e3 / run.tasks(),
              used.serverNanos() / 1e3 / run.tasks(), used.workerNanos() / 1e3 / run.tasks(),
              used.harnessNanos() / 1e3 / run.tasks()));
        }
      }
      out.println(line);
      cpuNotes.forEach(n -> table.note(n));
      String w = String.format(Locale.ROOT, "%,d in flight", window);
      for (int a = 3; a <= 4; a++) {
        String name = targets.get(a).name();
        table.add("throughput " + w + ", " + name + " [tasks/s]", ResultTable.count(rates[a]),
            ResultTable.count(rates[2]) + " (Hazelcast)", ResultTable.ratio(rates[a] / rates[2])
                + (window == 1_024 ? " (target >= 1, aim 2)" : ""));
        table.add("", "", ResultTable.count(rates[1]) + " (echo)", ResultTable.ratio(rates[a] / rates[1]));
        table.add("", "", ResultTable.count(rates[0]) + " (TPE 2)", ResultTable.ratio(rates[a] / rates[0]));
      }
    }
  }

  /** {@code map} over {@link #items} integers, chunksize 1,000, against the same chunks on the local pool. */
  private void map(Target local, AntPoolExecutor plain, AntPoolExecutor prefetching) throws Exception {
    out.printf(Locale.ROOT, "%n   map over %,d items, chunksize %,d [items/s]:", items, CHUNK);
    List<Integer> values = IntStream.range(0, items).boxed().toList();
    long expected = 2L * ((long) items * (items - 1) / 2);
    double localRate = timeMap(() -> localMap(local, values), expected);
    double plainRate = timeMap(() -> remoteMap(plain, values), expected);
    double prefetchRate = timeMap(() -> remoteMap(prefetching, values), expected);
    out.printf(Locale.ROOT, "  TPE 2 %s  AntPool %s  AntPool prefetch %d %s%n", ResultTable.count(localRate),
        ResultTable.count(plainRate), prefetch, ResultTable.count(prefetchRate));
    table.add("map, chunksize 1,000, AntPool [items/s]", ResultTable.count(plainRate),
        ResultTable.count(localRate) + " (TPE 2)", ResultTable.ratio(plainRate / localRate)
            + "; target >= 1,000,000 items/s");
    table.add("map, chunksize 1,000, AntPool prefetch " + prefetch + " [items/s]", ResultTable.count(prefetchRate),
        ResultTable.count(localRate) + " (TPE 2)", ResultTable.ratio(prefetchRate / localRate));
  }

  private interface Summing {
    long sum() throws Exception;
  }

  /** Items per second of {@code run}, which must sum to {@code expected}; the best of two runs (the first warms). */
  private double timeMap(Summing run, long expected) throws Exception {
    double best = 0;
    for (int i = 0; i < 2; i++) {
      long t0 = System.nanoTime();
      long sum = run.sum();
      double rate = items / ((System.nanoTime() - t0) / 1e9);
      if (sum != expected) {
        throw new IllegalStateException("map summed to " + sum + ", not " + expected);
      }
      best = Math.max(best, rate);
    }
    return best;
  }

  private static long remoteMap(AntPoolExecutor executor, List<Integer> values) {
    try (Stream<Integer> results = executor.map(BenchTasks.doubling(), values, CHUNK)) {
      return results.mapToLong(Integer::longValue).sum();
    }
  }

  /** The same chunks as tasks on the local pool, results taken in order. */
  private static long localMap(Target local, List<Integer> values) throws Exception {
    List<CompletableFuture<Long>> chunks = new ArrayList<>();
    for (int from = 0; from < values.size(); from += CHUNK) {
      List<Integer> chunk = values.subList(from, Math.min(values.size(), from + CHUNK));
      chunks.add(local.submit(() -> {
        long sum = 0;
        for (Integer x : chunk) {
          sum += BenchTasks.doubling().apply(x);
        }
        return sum;
      }));
    }
    long sum = 0;
    for (CompletableFuture<Long> chunk : chunks) {
      sum += chunk.get(60, TimeUnit.SECONDS);
    }
    return sum;
  }

  // ---- 2. latency -------------------------------------------------------------------------------------

  private void latency(List<Target> targets) throws Exception {
    out.printf(Locale.ROOT, "%n2. single-task round trip, one at a time (%d s each) [us]%n", seconds.toSeconds());
    double[] p50 = new double[targets.size()];
    double[] p99 = new double[targets.size()];
    for (int i = 0; i < targets.size(); i++) {
      // the throughput warm-up runs 64 at a time; one at a time takes other paths (a waiting caller, idle
      // threads woken per task), which the JIT compiles only once they run: every target gets the same
      // unmeasured round trips first, so that no target's p99 is its compilation
      Measure.roundTrips(targets.get(i), MAX_ROUND_TRIPS, LATENCY_WARMUP);
      long[] samples = Measure.roundTrips(targets.get(i), MAX_ROUND_TRIPS, seconds);
      java.util.Arrays.sort(samples);
      p50[i] = samples[samples.length / 2] / 1e3;
      p99[i] = samples[samples.length * 99 / 100] / 1e3;
      out.printf(Locale.ROOT, "   %-22s p50 %8.1f  p99 %8.1f  (%,d samples)%n", targets.get(i).name(), p50[i],
          p99[i], samples.length);
    }
    table.add("round trip p50, AntPool [us]", String.format(Locale.ROOT, "%.1f", p50[3]),
        String.format(Locale.ROOT, "%.1f (echo)", p50[1]), ResultTable.ratio(p50[3] / p50[1]) + " (target <= 4)");
    table.add("", "", String.format(Locale.ROOT, "%.1f (Hazelcast)", p50[2]),
        ResultTable.ratio(p50[3] / p50[2]) + " (target <= 0.5)");
    table.add("", "", String.format(Locale.ROOT, "%.1f (TPE 2)", p50[0]), ResultTable.ratio(p50[3] / p50[0]));
    table.add("round trip p99, AntPool [us]", String.format(Locale.ROOT, "%.1f", p99[3]),
        String.format(Locale.ROOT, "%.1f (echo)", p99[1]), ResultTable.ratio(p99[3] / p99[1]));
    table.add("", "", String.format(Locale.ROOT, "%.1f (Hazelcast)", p99[2]), ResultTable.ratio(p99[3] / p99[2]));
  }

  // ---- 3. CPU-bound -----------------------------------------------------------------------------------

  private void cpu(Target local, Target antPool, LoopbackPool pool) throws Exception {
    if (!runs("throughput") && !runs("latency")) {
      // alone, the pool has run no task yet: its message path (client, server, workers) would be compiled by the
      // JIT during the timed job, which the local pool's path, a queue hand-off, does not need; so each target is
      // warmed up as the throughput and latency parts do
      warmUp(List.of(local, antPool));
    }
    Measure.Calibration calibration = Measure.calibrate(taskLength);
    out.printf(Locale.ROOT, "%n3. CPU-bound: %d tasks of ~%d ms (%,d iterations each)%n", cpuTasks,
        taskLength.toMillis(), calibration.iterations());
    // the same code JIT-compiled everywhere first: in this JVM and in each worker JVM (a tenth of the job each)
    long warm = Math.max(1, calibration.iterations() / 10);
    Measure.cpuSerial(SLOTS, warm);
    Measure.cpuParallel(local, 2 * SLOTS, warm);
    Measure.cpuParallel(antPool, 4 * SLOTS, warm);
    // nothing timed shares the cores with what the JIT still compiles after the warm-ups
    Measure.Settle settled = Measure.settle(pool, antPool, SETTLED_SHARE, SETTLE_INTERVAL, SETTLE_BUDGET);
    out.printf(Locale.ROOT, "   before timing: %d burst(s) of trivial tasks on AntPool in %.1f s; %s%n",
        settled.bursts(), settled.seconds(), settled.quiet() ? String.format(Locale.ROOT, "the last left the"
            + " JVMs under %.0f %% of a core at once", SETTLED_SHARE * 100) : "the JVMs were still compiling");
    long harnessBefore = CpuUse.nanos(ProcessHandle.current());
    Measure.Job serial = Measure.cpuSerial(cpuTasks, calibration.iterations());
    long serialCpu = CpuUse.nanos(ProcessHandle.current()) - harnessBefore;
    Measure.Job threads = Measure.cpuParallel(local, cpuTasks, calibration.iterations());
    long threadsCpu = CpuUse.nanos(ProcessHandle.current()) - harnessBefore - serialCpu;
    CpuUse before = CpuUse.of(pool);
    Measure.Job job = Measure.cpuParallel(antPool, cpuTasks, calibration.iterations());
    CpuUse used = CpuUse.of(pool).minus(before);
    if (serial.checksum() != threads.checksum() || serial.checksum() != job.checksum()) {
      throw new IllegalStateException("the CPU job's checksums differ: serial " + serial.checksum() + ", TPE "
          + threads.checksum() + ", AntPool " + job.checksum());
    }
    out.printf(Locale.ROOT, "   serial %.2f s  ThreadPoolExecutor(2) %.2f s  AntPool %.2f s%n", serial.seconds(),
        threads.seconds(), job.seconds());
    // where the time went: CPU the same tasks took in each place (workers more than serial: the code ran
    // slower there; about the same: the gap is time the cores were idle or ran something else)
    out.printf(Locale.ROOT, "   CPU used: serial %.2f s, ThreadPoolExecutor(2) %.2f s (this JVM); AntPool: workers"
        + " %.2f s, server %.3f s, client %.3f s%n", serialCpu / 1e9, threadsCpu / 1e9, used.workerNanos() / 1e9,
        used.serverNanos() / 1e9, used.harnessNanos() / 1e9);
    double tpeSpeedup = serial.seconds() / threads.seconds();
    double poolSpeedup = serial.seconds() / job.seconds();
    table.add("CPU job speedup over serial, AntPool", ResultTable.ratio(poolSpeedup),
        ResultTable.ratio(tpeSpeedup) + " (TPE 2's speedup)", ResultTable.ratio(poolSpeedup / tpeSpeedup)
            + " (target >= 0.95)");
    table.add("CPU job wall time [s]", ResultTable.seconds(job.seconds()), ResultTable.seconds(serial.seconds())
        + " (serial)", "");
  }
}
