package io.antpool.bench;

import com.hazelcast.instance.BuildInfoProvider;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Hazelcast's distributed executor between member JVMs ({@code bench/run-hazelcast}), issue 10's baseline for
 * AntPool's trivial-task throughput and round trip: the same {@link BenchTasks#twice} tasks, driven by the same
 * {@link Measure} code, on two Hazelcast data members in child JVMs ({@link HazelcastBaseline}). After a warm-up
 * it prints tasks per second with 1, 64 and 1,024 in flight, then the round trip p50 and p99 of one task at a
 * time. Like every benchmark here it asserts no figure; it exits 1 only when a task fails, returns a wrong value,
 * runs in the wrong JVM, or hangs.
 */
public final class HazelcastBench {
  static final String USAGE = """
      usage: bench/run-hazelcast [--seconds N] [--executor-threads N] [--verbose]
        --seconds N           length of each throughput window and of the round-trip run (default 5)
        --executor-threads N  threads of the executor on each member (default 16, Hazelcast's default)
        --verbose             also show the members' output (on standard error)""";
  private static final int[] WINDOWS = {1, 64, 1_024};
  private static final int WARMUP_WINDOW = 64;
  private static final Duration WARMUP_ROUND = Duration.ofSeconds(1);
  private static final long WARMUP_TASKS = 30_000;
  private static final Duration WARMUP_BUDGET = Duration.ofSeconds(30);
  private static final int SPREAD_TASKS = 200;
  private static final int MAX_ROUND_TRIPS = 100_000;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final PrintStream out = System.out;
  private final Duration window;
  private final int executorThreads;
  private final boolean verbose;

  private HazelcastBench(Duration window, int executorThreads, boolean verbose) {
    this.window = window;
    this.executorThreads = executorThreads;
    this.verbose = verbose;
  }

  public static void main(String[] args) {
    HazelcastBench bench;
    try {
      bench = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("HazelcastBench: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    if (bench == null) {
      System.out.println(USAGE);
      return;
    }
    HazelcastMember.quietLogging(); // before the first logger exists
    int code = 0;
    try {
      bench.run();
    } catch (Exception e) {
      System.err.println("HazelcastBench failed: " + e.getMessage());
      if (bench.verbose) {
        e.printStackTrace();
      }
      code = 1;
    }
    System.out.flush();
    // the members are stopped by now; exiting explicitly keeps a lingering non-daemon thread from hanging the run
    System.exit(code);
  }

  /** The benchmark the options ask for, or {@code null} for {@code --help}. */
  private static HazelcastBench parse(String[] args) {
    int seconds = 5;
    int threads = HazelcastCluster.DEFAULT_EXECUTOR_THREADS;
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help" -> {
          return null;
        }
        case "--verbose" -> verbose = true;
        case "--seconds" -> seconds = BenchArgs.positive(args, ++i);
        case "--executor-threads" -> threads = BenchArgs.positive(args, ++i);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    return new HazelcastBench(Duration.ofSeconds(seconds), threads, verbose);
  }


  private void run() throws Exception {
    long started = System.nanoTime();
    out.printf(Locale.ROOT, "Hazelcast IExecutorService baseline: Java %s, %d cores, Hazelcast %s%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
        BuildInfoProvider.getBuildInfo().getVersion());
    Path benchJar = Path.of(HazelcastBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String classPath = FoundationBench.locateAntPoolJar() + File.pathSeparator + benchJar;
    try (HazelcastBaseline hazelcast = HazelcastBaseline.start("Hazelcast", classPath, executorThreads,
        READY_TIMEOUT, verbose)) {
      out.printf(Locale.ROOT, "members: %s (pids %s), %d executor threads each, this JVM a lite member;"
          + " ready in %.1f s%n", hazelcast.memberAddresses(), hazelcast.memberPids(), executorThreads,
          (System.nanoTime() - started) / 1e9);
      checkSpread(hazelcast);

      Measure.WarmUp warm = Measure.warmUp(hazelcast, WARMUP_WINDOW, WARMUP_ROUND, WARMUP_TASKS, WARMUP_BUDGET);
      out.printf(Locale.ROOT, "warm-up, %d in flight: %,d tasks, rounds of %d s at %s tasks/s%s%n", WARMUP_WINDOW,
          warm.tasks(), WARMUP_ROUND.toSeconds(), rates(warm.rates()), warm.steady() ? "" : " (not steady)");

      for (int w : WINDOWS) {
        long members = hazelcast.memberCpuNanos();
        long harness = CpuUse.nanos(ProcessHandle.current());
        Measure.Run run = Measure.throughput(hazelcast, w, Long.MAX_VALUE, window);
        double membersUs = (hazelcast.memberCpuNanos() - members) / 1e3 / run.tasks();
        double harnessUs = (CpuUse.nanos(ProcessHandle.current()) - harness) / 1e3 / run.tasks();
        out.printf(Locale.ROOT, "throughput, %,5d in flight: %,10.0f tasks/s (%,d tasks in %.1f s; CPU per task:"
            + " members %.0f us, harness %.0f us)%n", w, run.rate(), run.tasks(), run.seconds(), membersUs,
            harnessUs);
      }
      long[] rtt = Measure.roundTrips(hazelcast, MAX_ROUND_TRIPS, window);
      out.printf(Locale.ROOT, "round trip, one at a time (%,d): p50 %.1f us, p99 %.1f us%n", rtt.length,
          Stats.percentile(rtt, 50) / 1e3, Stats.percentile(rtt, 99) / 1e3);
    }
    out.printf(Locale.ROOT, "total time %.0f s; members stopped%n", (System.nanoTime() - started) / 1e9);
  }

  /** Fails unless the tasks run on both children and nowhere else; prints how they were spread. */
  private void checkSpread(HazelcastBaseline hazelcast) throws Exception {
    Map<Long, Integer> perPid = hazelcast.spread(SPREAD_TASKS);
    out.println("spread of " + SPREAD_TASKS + " tasks: " + perPid.entrySet().stream()
        .map(e -> "pid " + e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")));
    if (!perPid.keySet().equals(Set.copyOf(hazelcast.memberPids()))) {
      throw new IllegalStateException("the tasks should run on the two member JVMs " + hazelcast.memberPids()
          + " (this JVM is " + ProcessHandle.current().pid() + "), but ran on " + perPid.keySet());
    }
  }

  private static String rates(double[] rates) {
    return Arrays.stream(rates).mapToObj(r -> String.format(Locale.ROOT, "%,.0f", r))
        .collect(Collectors.joining(", "));
  }
}
