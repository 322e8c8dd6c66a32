package io.antpool.bench;

import io.antpool.client.AntPoolExecutor;
import io.antpool.client.AntPoolOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Clustered workers against WebSocket workers, in one run on one pool: a clustered server with two WebSocket
 * workers and two clustered workers (one slot each, Hazelcast on loopback with {@code conf/cluster.xml}). Each
 * measurement sends its trivial tasks to one kind only (tasks require the tag {@code via=ws} or
 * {@code via=cluster}), interleaved rep by rep so that drift of the machine spreads over both; the table shows
 * medians and the ratio clustered / WebSocket.
 *
 * <p>Usage: {@code bench/run-cluster [--reps N] [--window N] [--verbose]}.
 */
public final class ClusterBench {
  private static final Duration READY = Duration.ofMinutes(3);
  private static final Duration RUN = Duration.ofSeconds(3);
  private static final Duration WARM_UP = Duration.ofSeconds(20);
  private static final long MAX_TASKS = 2_000_000;
  private static final int ROUND_TRIPS = 2_000;

  private ClusterBench() {
  }

  public static void main(String[] args) throws Exception {
    BenchSettings settings;
    try {
      settings = BenchSettings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("ClusterBench: " + e.getMessage() + "\n" + BenchSettings.USAGE);
      System.exit(2);
      return;
    }
    Path jar = Path.of(System.getProperty("antpool.jar", "dist/target/antpool.jar")).toAbsolutePath();
    Path conf = Path.of(System.getProperty("antpool.cluster.conf", "conf/cluster.xml")).toAbsolutePath();
    if (!Files.isRegularFile(jar) || !Files.isRegularFile(conf)) {
      System.err.println("ClusterBench: run it from the AntPool folder, after mvn -DskipTests package ("
          + jar + ", " + conf + ")");
      System.exit(2);
    }
    PrintStream out = System.out;
    long started = System.nanoTime();
    try (LoopbackPool pool = LoopbackPool.startClustered(jar, conf, 2, 2, READY, settings.verbose());
        AntPoolExecutor ws = executor(pool.url(), "ws"); AntPoolExecutor clustered = executor(pool.url(), "cluster")) {
      out.printf(Locale.ROOT, "AntPool ClusterBench: %s; %d cores; pool %s%n", System.getProperty("java.version"),
          Runtime.getRuntime().availableProcessors(), pool.describe());
      List<Target> targets = List.of(Target.antPool("websocket", ws), Target.antPool("clustered", clustered));
      ResultTable table = new ResultTable();
      for (int window : List.of(1, settings.window())) {
        double[][] rates = new double[2][settings.reps()];
        for (Target t : targets) {
          Measure.warmUp(t, window, Duration.ofSeconds(1), 20_000, WARM_UP);
        }
        for (int rep = 0; rep < settings.reps(); rep++) {
          StringBuilder line = new StringBuilder("   throughput, " + window + " in flight, rep " + (rep + 1) + ":");
          for (int i = 0; i < 2; i++) {
            rates[i][rep] = Measure.throughput(targets.get(i), window, MAX_TASKS, RUN).rate();
            line.append(String.format(Locale.ROOT, "  %s %s/s", targets.get(i).name(),
                ResultTable.count(rates[i][rep])));
          }
          out.println(line);
        }
        double w = Stats.median(rates[0]);
        double c = Stats.median(rates[1]);
        table.add("trivial throughput, " + window + " in flight [tasks/s]", ResultTable.count(c),
            ResultTable.count(w) + " (WebSocket)", ResultTable.ratio(c / w) + " = clustered/WebSocket");
      }
      double[][] p50 = new double[2][settings.reps()];
      double[][] p99 = new double[2][settings.reps()];
      for (int rep = 0; rep < settings.reps(); rep++) {
        for (int i = 0; i < 2; i++) {
          long[] samples = Measure.roundTrips(targets.get(i), ROUND_TRIPS, Duration.ofSeconds(20));
          p50[i][rep] = Stats.percentile(samples, 50) / 1e3;
          p99[i][rep] = Stats.percentile(samples, 99) / 1e3;
        }
        out.printf(Locale.ROOT, "   round trip, rep %d: websocket p50 %.0f us, clustered p50 %.0f us%n", rep + 1,
            p50[0][rep], p50[1][rep]);
      }
      for (int q = 0; q < 2; q++) {
        double[][] v = q == 0 ? p50 : p99;
        String name = q == 0 ? "p50" : "p99";
        double w = Stats.median(v[0]);
        double c = Stats.median(v[1]);
        table.add("round trip " + name + ", 1 in flight [us]", String.format(Locale.ROOT, "%,.0f", c),
            String.format(Locale.ROOT, "%,.0f (WebSocket)", w), ResultTable.ratio(c / w)
                + " = clustered/WebSocket, lower is better");
      }
      out.println();
      table.print(out);
    }
    out.printf(Locale.ROOT, "total time %.0f s; server and workers stopped%n", (System.nanoTime() - started) / 1e9);
  }

  /** An executor whose tasks run only on workers tagged {@code via=KIND}. */
  private static AntPoolExecutor executor(String url, String kind) {
    return new AntPoolExecutor(new AntPoolOptions().setUrl(url).setMaxWorkers(4096)
        .setRequiredTags(Map.of("via", kind)));
  }
}
