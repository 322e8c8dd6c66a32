package io.antpool.bench;

import io.antpool.client.AntPoolExecutor;
import io.antpool.client.AntPoolOptions;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * The foundation benchmark: what AntPool costs and what it buys, against a local
 * {@code ThreadPoolExecutor} of two threads measured in the same run with the same tasks.
 *
 * <ol>
 *   <li>Trivial-task throughput with a window of tasks in flight, in isolation modes 2 and 0.</li>
 *   <li>Round trip of one trivial task at a time: p50 and p99.</li>
 *   <li>A CPU-bound job (calibrated tasks of about half a second): serial, on the local pool, on AntPool.</li>
 * </ol>
 *
 * It starts a real pool on loopback (one server JVM and two one-slot worker JVMs, see {@link LoopbackPool})
 * whose class path is {@code antpool.jar} alone: the benchmark's task classes reach the workers through
 * AntPool's class shipping. It never asserts a figure; it fails only when a task fails, returns a wrong value,
 * or hangs. Run it with {@code bench/run}; {@code bench/README.md} explains the figures.
 *
 * <p>Its static initialisation only builds constants, without side effects; the tasks live in {@link BenchTasks},
 * so workers never load this class.
 */
public final class FoundationBench {
  private static final int SLOTS = 2;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final long MAX_TASKS_PER_RUN = 10_000_000;
  private static final Duration WARMUP_ROUND = Duration.ofSeconds(1);
  private static final Duration LOCAL_WARMUP = Duration.ofSeconds(8);
  private static final Duration REMOTE_WARMUP = Duration.ofSeconds(40);
  private static final Duration ISOLATED_WARMUP = Duration.ofSeconds(15);
  private static final long LOCAL_WARMUP_TASKS = 1_000_000;
  private static final long REMOTE_WARMUP_TASKS = 30_000;
  private static final long ISOLATED_WARMUP_TASKS = 10_000;
  private static final Duration THROUGHPUT_RUN = Duration.ofMillis(1500);
  private static final int REMOTE_ROUND_TRIPS = 2_000;
  private static final int LOCAL_ROUND_TRIPS = 20_000;
  private static final Duration ROUND_TRIP_BUDGET = Duration.ofSeconds(2);

  private final BenchSettings settings;
  private final PrintStream out = System.out;
  private final ResultTable table = new ResultTable();

  private FoundationBench(BenchSettings settings) {
    this.settings = settings;
  }

  public static void main(String[] args) {
    BenchSettings settings;
    try {
      settings = BenchSettings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("FoundationBench: " + e.getMessage() + "\n" + BenchSettings.USAGE);
      System.exit(2);
      return;
    }
    if (settings.help()) {
      System.out.println(BenchSettings.USAGE);
      return;
    }
    if (System.getProperty("logback.configurationFile") == null) {
      // before the first logger exists: the client's INFO lines would drown the report
      System.setProperty("logback.configurationFile", "antpool-bench-logback.xml");
    }
    int code = 0;
    try {
      new FoundationBench(settings).run();
    } catch (Exception e) {
      System.err.println("FoundationBench failed: " + e.getMessage());
      if (settings.verbose()) {
        e.printStackTrace();
      }
      code = 1;
    }
    System.out.flush();
    // every child is stopped by now; exiting explicitly keeps a lingering non-daemon thread from hanging the run
    System.exit(code);
  }

  private void run() throws Exception {
    Path jar = locateAntPoolJar();
    long started = System.nanoTime();
    out.printf(Locale.ROOT, "AntPool FoundationBench: Java %s (%s), %s %s, %d cores%n",
        System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
        System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
    out.println("antpool.jar: " + jar);

    Measure.Calibration calibration = Measure.calibrate(settings.taskDuration());
    out.printf(Locale.ROOT, "calibration: %.3f ns per iteration; one CPU task = %,d iterations (target %d ms)%n",
        calibration.nanosPerIteration(), calibration.iterations(), settings.taskDuration().toMillis());

    ExecutorService threads = Executors.newFixedThreadPool(SLOTS, r -> {
      Thread t = new Thread(r, "bench-local-pool");
      t.setDaemon(true);
      return t;
    });
    long poolStart = System.nanoTime();
    try (LoopbackPool pool = LoopbackPool.start(jar, SLOTS, READY_TIMEOUT, settings.verbose())) {
      out.printf(Locale.ROOT, "pool: %s (%s), 1 slot per worker, ready in %.1f s%n", pool.url(), pool.describe(),
          (System.nanoTime() - poolStart) / 1e9);
      AntPoolExecutor session = executor(pool.url(), 2);
      AntPoolExecutor isolated = executor(pool.url(), 0);
      try {
        Target local = Target.local("ThreadPoolExecutor(2)", threads);
        Target antPool = Target.antPool("AntPool rtype 2", session);
        // a class with static state: every task gets a fresh loader (a class without would keep its loader)
        Target antPoolIsolated = Target.withStaticState("AntPool rtype 0", Target.antPool("AntPool rtype 0",
            isolated));
        throughput(pool, local, antPool, antPoolIsolated);
        roundTrip(local, antPool);
        cpuJob(calibration.iterations(), local, antPool);
      } finally {
        close(session);
        close(isolated);
      }
    } finally {
      threads.shutdownNow();
    }
    out.println();
    table.print(out);
    out.printf(Locale.ROOT, "total time %.0f s; server and workers stopped%n", (System.nanoTime() - started) / 1e9);
  }

  private AntPoolExecutor executor(String url, int rtype) {
    return new AntPoolExecutor(new AntPoolOptions().setUrl(url).setMaxWorkers(settings.window()).setRtype(rtype)
        .setName("bench-rtype-" + rtype));
  }

  // ---- 1. throughput ------------------------------------------------------------------------------------

  private void throughput(LoopbackPool pool, Target local, Target antPool, Target antPoolIsolated)
      throws Exception {
    int window = settings.window();
    int reps = settings.reps();
    out.printf(Locale.ROOT, "%n1. trivial-task throughput, %d in flight (warm-up until steady, then %d x %.1f s)%n",
        window, reps, THROUGHPUT_RUN.toMillis() / 1e3);
    List<Target> targets = List.of(local, antPool, antPoolIsolated);
    List<Duration> warmUps = List.of(LOCAL_WARMUP, REMOTE_WARMUP, ISOLATED_WARMUP);
    List<Long> warmUpTasks = List.of(LOCAL_WARMUP_TASKS, REMOTE_WARMUP_TASKS, ISOLATED_WARMUP_TASKS);
    for (int i = 0; i < targets.size(); i++) {
      Measure.WarmUp warmUp = Measure.warmUp(targets.get(i), window, WARMUP_ROUND, warmUpTasks.get(i),
          warmUps.get(i));
      StringBuilder line = new StringBuilder("   warm-up " + targets.get(i).name() + " [tasks/s per 1 s round]:");
      for (double r : warmUp.rates()) {
        line.append(' ').append(ResultTable.count(r));
      }
      out.println(line.append(warmUp.steady() ? " (steady after " + ResultTable.count(warmUp.tasks()) + " tasks)"
          : " (not steady within " + warmUps.get(i).toSeconds() + " s and " + ResultTable.count(warmUp.tasks())
              + " tasks: still rising or scattering; the figures below may be low)"));
    }
    double[][] rates = new double[targets.size()][reps];
    CpuUse[][] cpu = new CpuUse[targets.size()][reps];
    long[][] tasks = new long[targets.size()][reps];
    for (int rep = 0; rep < reps; rep++) {
      // interleaved, so slow drift of the machine (heat, other load) spreads over all three
      StringBuilder line = new StringBuilder("   rep " + (rep + 1) + ":");
      for (int i = 0; i < targets.size(); i++) {
        CpuUse before = CpuUse.of(pool);
        Measure.Run run = Measure.throughput(targets.get(i), window, MAX_TASKS_PER_RUN, THROUGHPUT_RUN);
        cpu[i][rep] = CpuUse.of(pool).minus(before);
        tasks[i][rep] = run.tasks();
        rates[i][rep] = run.rate();
        line.append(String.format(Locale.ROOT, "  %s %s/s", targets.get(i).name(), ResultTable.count(run.rate())));
      }
      out.println(line);
    }
    double localRate = Stats.median(rates[0]);
    double sessionRate = Stats.median(rates[1]);
    double isolatedRate = Stats.median(rates[2]);
    table.add("trivial throughput, rtype 2, " + window + " in flight [tasks/s]", ResultTable.count(sessionRate),
        ResultTable.count(localRate) + " (TPE 2)",
        ResultTable.ratio(sessionRate / localRate) + " = AntPool/TPE, higher is better");
    table.add("trivial throughput, rtype 0, " + window + " in flight [tasks/s]", ResultTable.count(isolatedRate),
        ResultTable.count(localRate) + " (TPE 2)",
        ResultTable.ratio(isolatedRate / localRate) + " = AntPool/TPE, higher is better");
    table.add("  cost of isolation: rtype 0 vs rtype 2 [tasks/s]", ResultTable.count(isolatedRate),
        ResultTable.count(sessionRate) + " (rtype 2)", ResultTable.ratio(isolatedRate / sessionRate)
            + " = rtype 0/rtype 2");

    // CPU per task over all repetitions together, so the parts add up to the total
    double localCpu = perTaskMicros(cpu[0], tasks[0], CpuUse::harnessNanos);
    String[] modes = {"rtype 2", "rtype 0"};
    for (int m = 0; m < modes.length; m++) {
      int i = m + 1;
      double total = perTaskMicros(cpu[i], tasks[i], CpuUse::totalNanos);
      table.add("CPU per trivial task, " + modes[m] + ", all JVMs [us]", micros(total),
          micros(localCpu) + " (TPE 2)", ResultTable.ratio(total / localCpu) + " = AntPool/TPE, lower is better");
      table.note(String.format(Locale.ROOT, "CPU per trivial task, %s: server %s us + 2 workers %s us + harness"
              + " (client) %s us", modes[m], micros(perTaskMicros(cpu[i], tasks[i], CpuUse::serverNanos)),
          micros(perTaskMicros(cpu[i], tasks[i], CpuUse::workerNanos)),
          micros(perTaskMicros(cpu[i], tasks[i], CpuUse::harnessNanos))));
    }
  }

  /** CPU microseconds per task of one part, over all repetitions together. */
  private static double perTaskMicros(CpuUse[] cpu, long[] tasks, ToLongFunction<CpuUse> part) {
    long nanos = 0;
    long count = 0;
    for (int i = 0; i < cpu.length; i++) {
      nanos += part.applyAsLong(cpu[i]);
      count += tasks[i];
    }
    return nanos / 1e3 / Math.max(1, count);
  }

  // ---- 2. round trip ------------------------------------------------------------------------------------

  private void roundTrip(Target local, Target antPool) throws Exception {
    out.printf(Locale.ROOT, "%n2. single-task round trip, 1 in flight (%d x up to %,d samples or %.0f s each)%n",
        settings.reps(), REMOTE_ROUND_TRIPS, ROUND_TRIP_BUDGET.toMillis() / 1e3);
    Measure.roundTrips(local, LOCAL_ROUND_TRIPS, ROUND_TRIP_BUDGET);
    Measure.roundTrips(antPool, REMOTE_ROUND_TRIPS / 4, ROUND_TRIP_BUDGET);
    int reps = settings.reps();
    double[] localP50 = new double[reps];
    double[] localP99 = new double[reps];
    double[] remoteP50 = new double[reps];
    double[] remoteP99 = new double[reps];
    for (int rep = 0; rep < reps; rep++) {
      long[] l = Measure.roundTrips(local, LOCAL_ROUND_TRIPS, ROUND_TRIP_BUDGET);
      long[] r = Measure.roundTrips(antPool, REMOTE_ROUND_TRIPS, ROUND_TRIP_BUDGET);
      localP50[rep] = Stats.percentile(l, 50) / 1e3;
      localP99[rep] = Stats.percentile(l, 99) / 1e3;
      remoteP50[rep] = Stats.percentile(r, 50) / 1e3;
      remoteP99[rep] = Stats.percentile(r, 99) / 1e3;
      out.printf(Locale.ROOT, "   rep %d:  %s p50 %.1f us p99 %.1f us (%,d samples)  %s p50 %.1f us p99 %.1f us"
              + " (%,d samples)%n", rep + 1, local.name(), localP50[rep], localP99[rep], l.length, antPool.name(),
          remoteP50[rep], remoteP99[rep], r.length);
    }
    double lp50 = Stats.median(localP50);
    double lp99 = Stats.median(localP99);
    double rp50 = Stats.median(remoteP50);
    double rp99 = Stats.median(remoteP99);
    table.add("round trip p50, rtype 2, 1 in flight [us]", micros(rp50), micros(lp50) + " (TPE 2)",
        ResultTable.ratio(rp50 / lp50) + " = AntPool/TPE, lower is better");
    table.add("round trip p99, rtype 2, 1 in flight [us]", micros(rp99), micros(lp99) + " (TPE 2)",
        ResultTable.ratio(rp99 / lp99) + " = AntPool/TPE, lower is better");
  }

  private static String micros(double us) {
    return String.format(Locale.ROOT, us < 100 ? "%.1f" : "%,.0f", us);
  }

  // ---- 3. CPU-bound job ---------------------------------------------------------------------------------

  private void cpuJob(long iterations, Target local, Target antPool) throws Exception {
    int tasks = settings.cpuTasks();
    int reps = settings.cpuReps();
    out.printf(Locale.ROOT, "%n3. CPU-bound job: %d tasks of ~%d ms (%d run%s each)%n", tasks,
        settings.taskDuration().toMillis(), reps, reps == 1 ? "" : "s");
    // Warm-up on the workers: ship the classes and let their JIT compile the loop, as the harness's already is.
    Measure.cpuParallel(antPool, SLOTS, Math.max(1, iterations / 10));
    double[] serial = new double[reps];
    double[] pooled = new double[reps];
    double[] remote = new double[reps];
    long expected = 0;
    for (int rep = 0; rep < reps; rep++) {
      Measure.Job s = Measure.cpuSerial(tasks, iterations);
      Measure.Job p = Measure.cpuParallel(local, tasks, iterations);
      Measure.Job r = Measure.cpuParallel(antPool, tasks, iterations);
      expected = s.checksum();
      if (p.checksum() != expected || r.checksum() != expected) {
        throw new IllegalStateException("the CPU job's values differ: serial " + s.checksum() + ", "
            + local.name() + " " + p.checksum() + ", " + antPool.name() + " " + r.checksum());
      }
      serial[rep] = s.seconds();
      pooled[rep] = p.seconds();
      remote[rep] = r.seconds();
      out.printf(Locale.ROOT, "   rep %d:  serial %.2f s (%.0f ms per task)  %s %.2f s  %s %.2f s%n", rep + 1,
          s.seconds(), s.seconds() * 1e3 / tasks, local.name(), p.seconds(), antPool.name(), r.seconds());
    }
    double s = Stats.median(serial);
    double p = Stats.median(pooled);
    double r = Stats.median(remote);
    String job = "CPU job, " + tasks + " x " + settings.taskDuration().toMillis() + " ms, 2 slots [s]";
    table.add(job + " vs serial", ResultTable.seconds(r), ResultTable.seconds(s) + " (serial)",
        ResultTable.ratio(s / r) + " = speedup serial/AntPool (ideal " + SLOTS + ")");
    table.add(job + " vs TPE", ResultTable.seconds(r), ResultTable.seconds(p) + " (TPE 2)",
        ResultTable.ratio(p / r) + " = speedup TPE/AntPool (ideal 1)");
    table.note(String.format(Locale.ROOT, "reference: TPE(2) speedup over serial = %s on this machine"
        + " (%d cores; the server, the workers and this harness share them)", ResultTable.ratio(s / p),
        Runtime.getRuntime().availableProcessors()));
    table.note("figures are medians of " + settings.reps() + " runs (CPU job: " + reps
        + "); rtype 2 = one class loader per session, rtype 0 = a fresh class loader per task (the default; its"
        + " task's class holds static state, so no loader is kept)");
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  /** Shuts an executor down and waits up to 10 s for its tasks, then cancels what is left. */
  static void close(AntPoolExecutor executor) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The {@code antpool.jar} to start the server and workers from: {@code -Dantpool.jar} if given, else
   * {@code dist/target/antpool.jar} in the project that holds this class (or the current folder), found by
   * walking up from there.
   */
  static Path locateAntPoolJar() {
    String explicit = System.getProperty("antpool.jar");
    if (explicit != null) {
      Path jar = Path.of(explicit).toAbsolutePath().normalize();
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException("-Dantpool.jar=" + explicit + " is not a file; build it with"
            + " `mvn -B -q -DskipTests package` from the project root, or point -Dantpool.jar at it");
      }
      return jar;
    }
    List<Path> starts = new ArrayList<>();
    try {
      starts.add(Path.of(FoundationBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException | RuntimeException e) {
      // no usable code source: fall back to the current folder
    }
    starts.add(Path.of("").toAbsolutePath());
    for (Path start : starts) {
      for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
        Path jar = dir.resolve("dist").resolve("target").resolve("antpool.jar");
        if (Files.isRegularFile(jar)) {
          return jar.normalize();
        }
      }
    }
    throw new IllegalStateException("cannot find dist/target/antpool.jar in or above " + starts
        + "; build it with `mvn -B -q -DskipTests package` from the project root, or pass -Dantpool.jar=PATH");
  }
}
