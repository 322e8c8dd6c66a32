package io.antpool.bench;

import io.antpool.SerializableCallable;
import io.antpool.client.AntPoolClient;
import io.antpool.client.AntPoolExecutor;
import io.antpool.client.AntPoolOptions;
import io.antpool.config.NativeTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The class-shipping benchmark: what it costs that a worker has none of a task's classes and fetches them from
 * the client on demand, and what the per-task class loader of isolation mode 0 costs against the per-session one
 * of mode 2.
 *
 * <ol>
 *   <li>Cold first task: for every sample a fresh server JVM and one fresh worker JVM, a client connected to it,
 *   then the time from submit to value of the first task; once for a task that brings ten classes of its own
 *   ({@link ShippedGraph}) and once for a trivial lambda ({@link BenchTasks#twice}), so the share of class
 *   shipping shows.</li>
 *   <li>Warm round trip of one trivial task at a time in mode 2: p50 and p99.</li>
 *   <li>Mode 0 against mode 2: the same round trips in mode 0 (interleaved with those of 2), the difference of
 *   the p50s per task, and the throughput of both with a window of tasks in flight.</li>
 * </ol>
 *
 * The figures are printed next to the targets of the class-shipping issue (a cold first task under 50 ms on
 * loopback, mode 0 costing under 0.2 ms per task more than mode 2), with "met" or "NOT MET"; like every benchmark
 * here it asserts nothing and exits 0 whatever the figures, failing only when a task fails, returns a wrong
 * value or hangs. Run it with {@code bench/run-class-shipping}; {@code bench/README.md} explains the figures.
 *
 * <p>Its static initialisation only builds constants; the tasks live in {@link BenchTasks} and
 * {@link ShippedGraph}, so workers never load this class.
 */
public final class ClassShippingBench {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
  /** No new cold start begins after this much time in section 1 (a loaded machine starts JVMs slowly). */
  private static final Duration COLD_BUDGET = Duration.ofSeconds(75);
  private static final double COLD_TARGET_MS = 50;
  private static final double MODE0_TARGET_MS = 0.2;
  private static final int WARM_WORKERS = 2;
  private static final Duration WARMUP_ROUND = Duration.ofSeconds(1);
  private static final Duration SESSION_WARMUP = Duration.ofSeconds(40);
  private static final long SESSION_WARMUP_TASKS = 30_000;
  private static final Duration ISOLATED_WARMUP = Duration.ofSeconds(15);
  private static final long ISOLATED_WARMUP_TASKS = 10_000;
  private static final int ROUND_TRIP_WARMUP = 500;
  /** First tasks of each kind with classes no worker has seen, on the warm pool. */
  private static final int WARM_COLD_SAMPLES = 9;
  /** Numbers the renamed copies; the cold starts of section 1 use no copies, so any start will do. */
  private static final int WARM_COLD_FIRST_ID = 1;
  private static final int ROUND_TRIPS = 2_000;
  private static final Duration ROUND_TRIP_BUDGET = Duration.ofSeconds(2);
  private static final Duration THROUGHPUT_RUN = Duration.ofMillis(1500);
  private static final long MAX_TASKS_PER_RUN = 10_000_000;
  private static final Duration PROFILE_WINDOW = Duration.ofSeconds(5);
  private static final int PROFILE_TOP = 24;
  /** The worker's class-loading log, for the check run: every class it defines, and where from. */
  private static final List<String> CLASS_LOAD_LOG = List.of("-Xlog:class+load=info");
  /** A class the worker defined from bytes (not from its jar or the JDK): one the client shipped. */
  private static final Pattern SHIPPED_CLASS =
      Pattern.compile("\\[class,load\\] (io\\.antpool\\.\\S+) source: __JVM_DefineClass__");

  /** A kind of cold first task: a name for the report and the task for a given seed. */
  private record ColdTask(String name, IntFunction<SerializableCallable<?>> make) {
  }

  /**
   * One cold start: how long the fresh pool took to be ready and the client to connect (not part of the figure),
   * the first task (the figure) and a second one of the same kind on the same worker, which finds the classes'
   * bytes in the worker's cache (NaN in a check run, which runs only the first).
   *
   * @param shipped the task classes the worker defined from the client's bytes for the first task; empty unless
   *     logged
   */
  private record ColdSample(double readySeconds, double connectMillis, double firstMillis, double secondMillis,
      List<String> shipped) {
  }

  private final ClassShippingSettings settings;
  private final PrintStream out = System.out;
  private final ResultTable table = new ResultTable("figure", "measured", "compared with", "verdict / ratio");
  private final Vertx vertx = NativeTransport.vertx();

  private ClassShippingBench(ClassShippingSettings settings) {
    this.settings = settings;
  }

  public static void main(String[] args) {
    ClassShippingSettings settings;
    try {
      settings = ClassShippingSettings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("ClassShippingBench: " + e.getMessage() + "\n" + ClassShippingSettings.USAGE);
      System.exit(2);
      return;
    }
    if (settings.help()) {
      System.out.println(ClassShippingSettings.USAGE);
      return;
    }
    if (System.getProperty("logback.configurationFile") == null) {
      // before the first logger exists: the client's INFO lines would drown the report
      System.setProperty("logback.configurationFile", "antpool-bench-logback.xml");
    }
    int code = 0;
    ClassShippingBench bench = new ClassShippingBench(settings);
    try {
      bench.run();
    } catch (Exception e) {
      System.err.println("ClassShippingBench failed: " + e.getMessage());
      if (settings.verbose()) {
        e.printStackTrace();
      }
      code = 1;
    } finally {
      bench.vertx.close();
    }
    System.out.flush();
    // every child is stopped by now; exiting explicitly keeps a lingering non-daemon thread from hanging the run
    System.exit(code);
  }

  private void run() throws Exception {
    Path jar = FoundationBench.locateAntPoolJar();
    long started = System.nanoTime();
    out.printf(Locale.ROOT, "AntPool ClassShippingBench: Java %s (%s), %s %s, %d cores%n",
        System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
        System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
    out.println("antpool.jar: " + jar);
    coldFirstTasks(jar);
    warm(jar);
    out.println();
    table.print(out);
    out.printf(Locale.ROOT, "total time %.0f s; every server and worker JVM stopped%n",
        (System.nanoTime() - started) / 1e9);
  }

  // ---- 1. cold first task -------------------------------------------------------------------------------

  private void coldFirstTasks(Path jar) throws Exception {
    int n = settings.coldStarts();
    out.printf(Locale.ROOT, "%n1. cold first task: for every start a fresh server and 1 fresh worker JVM, a client"
        + " connected, then submit -> value of its first task (rtype 0); %d starts of each kind%n", n);
    ColdTask trivial = new ColdTask("trivial lambda", BenchTasks::twice);
    ColdTask graph = new ColdTask("10 user classes", ShippedGraph::task);

    // The check runs log the worker's class loading, which slows it: their times are shown, not counted. They
    // also warm this JVM (the client) for both kinds alike, so the counted starts differ only on the pool side.
    List<String> trivialShipped = checkRun(jar, trivial);
    List<String> graphShipped = checkRun(jar, graph);
    List<String> missing = new ArrayList<>(ShippedGraph.classNames());
    missing.removeAll(graphShipped);
    if (!missing.isEmpty()) {
      throw new IllegalStateException("the worker did not fetch the task classes the cold figure is about:"
          + " missing " + missing + "; it defined " + graphShipped + " for the 10-class task and "
          + trivialShipped + " for the trivial one");
    }

    double[] trivialFirst = new double[n];
    double[] graphFirst = new double[n];
    long deadline = System.nanoTime() + COLD_BUDGET.toNanos();
    int done = 0;
    while (done < n && System.nanoTime() - deadline < 0) {
      ColdSample t = coldStart(jar, trivial, done + 1, false);
      print("start " + (done + 1), trivial, t);
      ColdSample g = coldStart(jar, graph, done + 1, false);
      print("start " + (done + 1), graph, g);
      trivialFirst[done] = t.firstMillis();
      graphFirst[done] = g.firstMillis();
      done++;
    }
    if (done < n) {
      out.printf(Locale.ROOT, "   only %d of %d starts of each kind fitted in %d s: the machine starts JVMs slowly"
          + " (busy?)%n", done, n, COLD_BUDGET.toSeconds());
      trivialFirst = Arrays.copyOf(trivialFirst, done);
      graphFirst = Arrays.copyOf(graphFirst, done);
      n = done;
    }
    double trivialP50 = Stats.median(trivialFirst);
    double graphP50 = Stats.median(graphFirst);
    out.printf(Locale.ROOT, "   first task p50: %s %s ms (samples %s), %s %s ms (samples %s)%n", trivial.name(),
        ResultTable.millis(trivialP50), samples(trivialFirst), graph.name(), ResultTable.millis(graphP50),
        samples(graphFirst));

    table.add("cold first task, 10 user classes, p50 of " + n + " [ms]", ResultTable.millis(graphP50),
        "target < " + ResultTable.millis(COLD_TARGET_MS), verdict(graphP50, COLD_TARGET_MS));
    table.add("cold first task, trivial lambda, p50 of " + n + " [ms]", ResultTable.millis(trivialP50),
        "target < " + ResultTable.millis(COLD_TARGET_MS), verdict(trivialP50, COLD_TARGET_MS));
    double shipping = graphP50 - trivialP50;
    table.add("  class shipping: 10-class p50 - trivial p50 [ms]", ResultTable.millis(shipping), "",
        ResultTable.millis(shipping / 10) + " ms per class");
    table.note("cold samples [ms]: 10 user classes " + samples(graphFirst) + "; trivial lambda "
        + samples(trivialFirst));
    table.note("cold: fresh server + worker JVMs per sample, client connected before timing; the worker fetched "
        + graphShipped.size() + " task classes for the 10-class task, " + trivialShipped.size()
        + " for the trivial one (" + shortNames(trivialShipped) + ")");
  }

  /** One cold start with the worker's class loading logged; prints and returns the classes it was shipped. */
  private List<String> checkRun(Path jar, ColdTask kind) throws Exception {
    ColdSample s = coldStart(jar, kind, 0, true);
    print("check", kind, s);
    out.printf(Locale.ROOT, "   %-7s %-16s the worker defined %d classes from the client's bytes: %s%n", "", "",
        s.shipped().size(), shortNames(s.shipped()));
    return s.shipped();
  }

  private ColdSample coldStart(Path jar, ColdTask kind, int seed, boolean logClassLoading) throws Exception {
    List<String> shipped = new CopyOnWriteArrayList<>();
    long t0 = System.nanoTime();
    double ready;
    double connect;
    double first;
    double second;
    try (LoopbackPool pool = LoopbackPool.start(jar, 1, logClassLoading ? CLASS_LOAD_LOG : List.of(),
        READY_TIMEOUT, settings.verbose())) {
      ready = (System.nanoTime() - t0) / 1e9;
      pool.workers().get(0).listen(line -> {
        Matcher m = SHIPPED_CLASS.matcher(line);
        if (m.find()) {
          shipped.add(m.group(1));
        }
      });
      long c0 = System.nanoTime();
      AntPoolClient client = get(AntPoolClient.connect(vertx, new AntPoolOptions().setUrl(pool.url()).setRtype(0)
          .setName("bench-cold")), "connecting to " + pool.url());
      connect = (System.nanoTime() - c0) / 1e6;
      try {
        Target target = Target.antPoolClient(kind.name(), client);
        first = timeOne(target, kind.make().apply(seed));
        // in rtype 0 a second task defines the classes again, in a loader of its own: the check counts the first
        second = logClassLoading ? Double.NaN : timeOne(target, kind.make().apply(seed + 1000));
      } finally {
        get(client.close(), "closing the client");
      }
    } // the pool is closed here, and the worker's output read to its end: 'shipped' is complete
    return new ColdSample(ready, connect, first, second, List.copyOf(shipped));
  }

  /** Submit to value in hand, in milliseconds; the value is checked against a local run of the same task. */
  private static <T> double timeOne(Target target, SerializableCallable<T> task) throws Exception {
    T expected = task.call();
    long t0 = System.nanoTime();
    T value = Measure.await(target, target.submit(task));
    double millis = (System.nanoTime() - t0) / 1e6;
    if (!Objects.equals(value, expected)) {
      throw new IllegalStateException(target.name() + ": the task returned " + value + ", expected " + expected);
    }
    return millis;
  }

  private void print(String label, ColdTask kind, ColdSample s) {
    out.printf(Locale.ROOT, "   %-7s %-16s pool ready in %.1f s, client connected in %s ms; first task %s ms%s%n",
        label + ":", kind.name(), s.readySeconds(), ResultTable.millis(s.connectMillis()),
        ResultTable.millis(s.firstMillis()), Double.isNaN(s.secondMillis()) ? ""
            : ", second task " + ResultTable.millis(s.secondMillis()) + " ms");
  }

  // ---- 2. and 3. warm: mode 2 round trips, mode 0 against mode 2 ------------------------------------------

  private void warm(Path jar) throws Exception {
    Path profileDir = settings.profileDir();
    List<String> workerArgs = profileDir == null ? List.of() : WorkerProfile.WORKER_JVM_ARGS;
    long poolStart = System.nanoTime();
    try (LoopbackPool pool = LoopbackPool.start(jar, WARM_WORKERS, workerArgs, READY_TIMEOUT, settings.verbose())) {
      out.printf(Locale.ROOT, "%nwarm pool: %s (%s), 1 slot per worker, ready in %.1f s%s%n", pool.url(),
          pool.describe(), (System.nanoTime() - poolStart) / 1e9,
          profileDir == null ? "" : "; workers started with " + String.join(" ", workerArgs));
      AntPoolExecutor session = executor(pool.url(), 2);
      AntPoolExecutor isolated = executor(pool.url(), 0);
      // a session of its own: a worker decides per session whether a mode-0 loader can be kept
      AntPoolExecutor isolatedWithState = executor(pool.url(), 0);
      try {
        Target rtype2 = Target.antPool("rtype 2", session);
        Target rtype0 = Target.antPool("rtype 0", isolated);
        Target rtype0s = Target.withStaticState("rtype 0 static", Target.antPool("rtype 0", isolatedWithState));
        out.printf(Locale.ROOT, "   warm-up: throughput rounds of %.0f s with %d in flight until steady%n",
            WARMUP_ROUND.toMillis() / 1e3, settings.window());
        warmUp(rtype2, SESSION_WARMUP_TASKS, SESSION_WARMUP);
        warmUp(rtype0, ISOLATED_WARMUP_TASKS, ISOLATED_WARMUP);
        warmUp(rtype0s, ISOLATED_WARMUP_TASKS, ISOLATED_WARMUP);
        coldClassesOnWarmPool(pool.url());
        roundTrips(List.of(rtype2, rtype0, rtype0s));
        throughput(pool, List.of(rtype2, rtype0, rtype0s));
        if (profileDir != null) {
          profile(pool, profileDir, rtype0s, rtype2);
        }
      } finally {
        FoundationBench.close(session);
        FoundationBench.close(isolated);
        FoundationBench.close(isolatedWithState);
      }
    }
  }

  /**
   * 1b. The first task of a new client session whose classes no worker has seen (renamed copies: new names,
   * new bytes), on this pool after its warm-up: class shipping as a user meets it against running workers.
   */
  private void coldClassesOnWarmPool(String url) throws Exception {
    int n = WARM_COLD_SAMPLES;
    out.printf(Locale.ROOT, "%n1b. cold classes on the warm pool: a new client session per sample, then submit ->"
        + " value of its first task (rtype 0), whose classes are renamed copies no worker has seen; %d of each"
        + " kind%n", n);
    double[] trivial = new double[n];
    double[] graph = new double[n];
    for (int i = 0; i < n; i++) {
      int id = WARM_COLD_FIRST_ID + i;
      trivial[i] = firstOfNewSession(url, RenamedCopies.task("BenchTasks", String.format(Locale.ROOT,
          "BenchT%04d", id), "twice", id));
      graph[i] = firstOfNewSession(url, RenamedCopies.task("ShippedGraph", String.format(Locale.ROOT,
          "ShippedG%04d", id), "task", id));
    }
    double trivialP50 = Stats.median(trivial);
    double graphP50 = Stats.median(graph);
    out.printf(Locale.ROOT, "   first task p50: trivial lambda (1 new class) %s ms (samples %s), 10 user classes"
        + " (11 new classes) %s ms (samples %s)%n", ResultTable.millis(trivialP50), samples(trivial),
        ResultTable.millis(graphP50), samples(graph));
    table.add("cold classes, warm pool: first task, 10 user classes, p50 of " + n + " [ms]",
        ResultTable.millis(graphP50), "target < " + ResultTable.millis(COLD_TARGET_MS),
        verdict(graphP50, COLD_TARGET_MS));
    table.add("cold classes, warm pool: first task, trivial lambda, p50 of " + n + " [ms]",
        ResultTable.millis(trivialP50), "target < " + ResultTable.millis(COLD_TARGET_MS),
        verdict(trivialP50, COLD_TARGET_MS));
    table.add("  class shipping on a warm pool: 10-class p50 - trivial p50 [ms]",
        ResultTable.millis(graphP50 - trivialP50), "", ResultTable.millis((graphP50 - trivialP50) / 10)
            + " ms per class");
  }

  /** Connects a new session, times its first task (checked against a local run), closes the session. */
  private double firstOfNewSession(String url, Object task) throws Exception {
    @SuppressWarnings("unchecked")
    SerializableCallable<Object> callable = (SerializableCallable<Object>) task;
    AntPoolClient client = get(AntPoolClient.connect(vertx, new AntPoolOptions().setUrl(url).setRtype(0)
        .setName("bench-cold-classes")), "connecting to " + url);
    try {
      return timeOne(Target.antPoolClient("cold classes", client), callable);
    } finally {
      get(client.close(), "closing the client");
    }
  }

  private AntPoolExecutor executor(String url, int rtype) {
    return new AntPoolExecutor(new AntPoolOptions().setUrl(url).setMaxWorkers(settings.window()).setRtype(rtype)
        .setName("bench-rtype-" + rtype));
  }

  private void warmUp(Target target, long minTasks, Duration budget) throws Exception {
    Measure.WarmUp w = Measure.warmUp(target, settings.window(), WARMUP_ROUND, minTasks, budget);
    StringBuilder line = new StringBuilder("   warm-up " + target.name() + " [tasks/s per round]:");
    for (double r : w.rates()) {
      line.append(' ').append(ResultTable.count(r));
    }
    out.println(line.append(w.steady() ? " (steady after " + ResultTable.count(w.tasks()) + " tasks)"
        : " (not steady within " + budget.toSeconds() + " s: the figures below may be low)"));
  }

  /**
   * Round trips of every target, interleaved repetition by repetition; the first is the baseline (rtype 2) and
   * each other one's overhead is its p50 minus the baseline's, against the mode-0 target.
   */
  private void roundTrips(List<Target> targets) throws Exception {
    int reps = settings.reps();
    int n = targets.size();
    out.printf(Locale.ROOT, "%n2./3. warm round trip of a trivial task, 1 in flight; %s interleaved, %d x up to %,d"
        + " samples or %.0f s each%n", names(targets), reps, ROUND_TRIPS, ROUND_TRIP_BUDGET.toMillis() / 1e3);
    for (Target target : targets) {
      Measure.roundTrips(target, ROUND_TRIP_WARMUP, ROUND_TRIP_BUDGET);
    }
    double[][] p50 = new double[n][reps];
    double[][] p99 = new double[n][reps];
    for (int rep = 0; rep < reps; rep++) {
      StringBuilder line = new StringBuilder("   rep " + (rep + 1) + ":");
      for (int i = 0; i < n; i++) {
        long[] samples = Measure.roundTrips(targets.get(i), ROUND_TRIPS, ROUND_TRIP_BUDGET);
        p50[i][rep] = Stats.percentile(samples, 50) / 1e6;
        p99[i][rep] = Stats.percentile(samples, 99) / 1e6;
        line.append(String.format(Locale.ROOT, "  %s p50 %s p99 %s ms (%,d)%s", targets.get(i).name(),
            ResultTable.millis(p50[i][rep]), ResultTable.millis(p99[i][rep]), samples.length,
            i == 0 ? "" : " +" + ResultTable.millis(p50[i][rep] - p50[0][rep])));
      }
      out.println(line);
    }
    String base = targets.get(0).name();
    double baseP50 = Stats.median(p50[0]);
    double baseP99 = Stats.median(p99[0]);
    table.add("warm round trip, " + base + ", p50 [ms]", ResultTable.millis(baseP50), "", "");
    table.add("warm round trip, " + base + ", p99 [ms]", ResultTable.millis(baseP99), "", "");
    for (int i = 1; i < n; i++) {
      String name = targets.get(i).name();
      double mid = Stats.median(p50[i]);
      double tail = Stats.median(p99[i]);
      table.add("warm round trip, " + name + ", p50 [ms]", ResultTable.millis(mid),
          ResultTable.millis(baseP50) + " (" + base + ")", ResultTable.ratio(mid / baseP50) + " = ratio");
      table.add("warm round trip, " + name + ", p99 [ms]", ResultTable.millis(tail),
          ResultTable.millis(baseP99) + " (" + base + ")", ResultTable.ratio(tail / baseP99) + " = ratio");
      table.add("  mode-0 overhead, " + name + ": p50 - " + base + " p50 [ms/task]",
          ResultTable.millis(mid - baseP50), "target < " + ResultTable.millis(MODE0_TARGET_MS),
          verdict(mid - baseP50, MODE0_TARGET_MS));
    }
  }

  private static String names(List<Target> targets) {
    return targets.stream().map(Target::name).collect(Collectors.joining(", "));
  }

  /** Throughput of every target, interleaved; the first is the baseline of the ratios. */
  private void throughput(LoopbackPool pool, List<Target> targets) throws Exception {
    int reps = settings.reps();
    int window = settings.window();
    int n = targets.size();
    out.printf(Locale.ROOT, "%n3. trivial-task throughput, %d in flight, %s interleaved, %d x %.1f s%n", window,
        names(targets), reps, THROUGHPUT_RUN.toMillis() / 1e3);
    double[][] rates = new double[n][reps];
    CpuUse[] cpu = new CpuUse[n];
    Arrays.fill(cpu, new CpuUse(0, 0, 0));
    long[] tasks = new long[n];
    for (int rep = 0; rep < reps; rep++) {
      StringBuilder line = new StringBuilder("   rep " + (rep + 1) + ":");
      for (int i = 0; i < n; i++) {
        CpuUse before = CpuUse.of(pool);
        Measure.Run run = Measure.throughput(targets.get(i), window, MAX_TASKS_PER_RUN, THROUGHPUT_RUN);
        CpuUse used = CpuUse.of(pool).minus(before);
        cpu[i] = new CpuUse(cpu[i].serverNanos() + used.serverNanos(), cpu[i].workerNanos() + used.workerNanos(),
            cpu[i].harnessNanos() + used.harnessNanos());
        tasks[i] += run.tasks();
        rates[i][rep] = run.rate();
        line.append(String.format(Locale.ROOT, "  %s %s tasks/s", targets.get(i).name(),
            ResultTable.count(run.rate())));
      }
      out.println(line);
    }
    String base = targets.get(0).name();
    double baseRate = Stats.median(rates[0]);
    double baseCpu = cpu[0].totalNanos() / 1e3 / Math.max(1, tasks[0]);
    table.add("throughput, " + base + ", " + window + " in flight [tasks/s]", ResultTable.count(baseRate), "", "");
    StringBuilder split = new StringBuilder("CPU per task [us]: " + base + ": " + cpuSplit(cpu[0], tasks[0]));
    for (int i = 1; i < n; i++) {
      String name = targets.get(i).name();
      double rate = Stats.median(rates[i]);
      table.add("throughput, " + name + ", " + window + " in flight [tasks/s]", ResultTable.count(rate),
          ResultTable.count(baseRate) + " (" + base + ")", ResultTable.ratio(rate / baseRate) + " = ratio");
      double micros = cpu[i].totalNanos() / 1e3 / Math.max(1, tasks[i]);
      table.add("CPU per task during throughput, all JVMs, " + name + " [ms]", ResultTable.millis(micros / 1e3),
          ResultTable.millis(baseCpu / 1e3) + " (" + base + ")", ResultTable.ratio(micros / baseCpu) + " = ratio");
      split.append("; ").append(name).append(": ").append(cpuSplit(cpu[i], tasks[i])).append(" (extra: ")
          .append(cpuExtra(cpu[i], tasks[i], cpu[0], tasks[0])).append(')');
    }
    table.note(split.toString());
  }

  private static String cpuSplit(CpuUse c, long tasks) {
    double n = Math.max(1, tasks) * 1e3;
    return String.format(Locale.ROOT, "server %.1f + %d workers %.1f + harness (client) %.1f", c.serverNanos() / n,
        WARM_WORKERS, c.workerNanos() / n, c.harnessNanos() / n);
  }

  private static String cpuExtra(CpuUse c0, long tasks0, CpuUse c2, long tasks2) {
    double n0 = Math.max(1, tasks0) * 1e3;
    double n2 = Math.max(1, tasks2) * 1e3;
    return String.format(Locale.ROOT, "server %+.1f, workers %+.1f, harness %+.1f", c0.serverNanos() / n0
        - c2.serverNanos() / n2, c0.workerNanos() / n0 - c2.workerNanos() / n2, c0.harnessNanos() / n0
        - c2.harnessNanos() / n2);
  }

  // ---- profile (--jfr) ----------------------------------------------------------------------------------

  /**
   * Throughput windows on the workers: first one per mode measured by the JVMs' own counters
   * ({@link WorkerCounters}: class loading, JIT, safepoints), then one per mode recorded by JFR
   * ({@link WorkerProfile}: where the slot threads' Java code spends the task path). The counters come first
   * because a recording slows the workers and, once stopped, leaves them recompiling. A failure here (no
   * {@code jcmd}, attaching refused) is reported and leaves the figures alone.
   */
  private void profile(LoopbackPool pool, Path dir, Target rtype0, Target rtype2) {
    out.printf(Locale.ROOT, "%nprofile (--jfr): %.0f s of throughput with %d in flight per mode measured by the"
        + " workers' JVM counters, then %.0f s per mode recorded by JFR%n", PROFILE_WINDOW.toMillis() / 1e3,
        settings.window(), PROFILE_WINDOW.toMillis() / 1e3);
    List<Target> modes = List.of(rtype0, rtype2);
    try {
      for (Target target : modes) {
        WorkerCounters counters = WorkerCounters.read(pool.workers());
        Measure.Run run = Measure.throughput(target, settings.window(), MAX_TASKS_PER_RUN, PROFILE_WINDOW);
        out.printf(Locale.ROOT, "   %s, JVM counters of the workers per task (%s tasks, %s/s):%n", target.name(),
            ResultTable.count(run.tasks()), ResultTable.count(run.rate()));
        out.print(counters.perTask(run.tasks(), "       "));
      }
      for (Target target : modes) {
        WorkerProfile recording = WorkerProfile.start(pool.workers(), target.name().replace(" ", ""));
        Measure.Run run = Measure.throughput(target, settings.window(), MAX_TASKS_PER_RUN, PROFILE_WINDOW);
        List<Path> files = recording.stop(dir);
        out.printf(Locale.ROOT, "   %s, JFR (%s tasks, %s/s while recording): %s%n", target.name(),
            ResultTable.count(run.tasks()), ResultTable.count(run.rate()),
            files.stream().map(Path::toString).collect(Collectors.joining(", ")));
        out.print(WorkerProfile.summarize(files, run.tasks(), PROFILE_TOP));
      }
    } catch (Exception e) {
      out.println("   profiling failed, the figures are unaffected: " + e.getMessage());
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  private static <T> T get(Future<T> future, String what) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(what + " took more than " + CLIENT_TIMEOUT.toSeconds() + " s");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
    }
  }

  /** "met" or "NOT MET", with the figure as a multiple of the target. */
  private static String verdict(double value, double target) {
    return (value < target ? "met" : "NOT MET") + " (" + ResultTable.ratio(value / target) + " x target)";
  }

  private static String samples(double[] millis) {
    List<String> s = new ArrayList<>();
    for (double m : millis) {
      s.add(ResultTable.millis(m));
    }
    return String.join(" ", s);
  }

  /** Class names without the bench's package, which they nearly all share. */
  private static String shortNames(List<String> classes) {
    return classes.stream().map(c -> c.startsWith("io.antpool.bench.") ? c.substring("io.antpool.bench.".length())
        : c).collect(Collectors.joining(", "));
  }
}
