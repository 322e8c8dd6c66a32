package io.antpool.bench;

import io.antpool.client.AntPoolExecutor;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the dashboard costs the server ({@code bench/run-dashboard}): one server JVM holds 1,000 worker slots
 * ({@link SimulatedWorkers}, {@code --workers N}) and runs trivial tasks for one client at a steady window, in
 * five phases: with no dashboard open, with {@code --viewers N} pages (10) reading its live feed, without,
 * with, without. It prints, for each phase, tasks per second and the server's CPU time per second, and the
 * ratios of the phases with pages to those without (the baseline, measured in the same run), plus the size of a
 * status report and of the feed per page.
 */
public final class DashboardBench {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private DashboardBench() {
  }

  /** One measured phase. */
  private record Phase(String label, double tasksPerSecond, double serverCpuMillisPerSecond,
      double feedBytesPerSecondPerPage, double updatesPerSecondPerPage) {
  }

  public static void main(String[] args) throws Exception {
    int workers = 1_000;
    int viewers = 10;
    int seconds = 15;
    int window = 256;
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--viewers" -> viewers = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--window" -> window = Integer.parseInt(args[++i]);
        case "--verbose", "-v" -> verbose = true;
        default -> {
          System.out.println("usage: bench/run-dashboard [--workers N (1000)] [--viewers N (10)] [--seconds N (15"
              + " per phase)] [--window N (256 tasks in flight)] [--verbose]");
          System.exit("--help".equals(args[i]) || "-h".equals(args[i]) ? 0 : 2);
        }
      }
    }
    PrintStream out = System.out;
    try (LoopbackPool pool = LoopbackPool.start(FoundationBench.locateAntPoolJar(), 0, READY_TIMEOUT, verbose);
        SimulatedWorkers simulated = SimulatedWorkers.connect(pool.url(), workers, READY_TIMEOUT.toSeconds());
        AntPoolExecutor executor = new AntPoolExecutor(pool.url())) {
      JsonObject status = StatusApi.read(pool.url());
      out.printf("dashboard cost: %s with %d simulated worker slots (%d in the status report), one"
          + " client keeping %d trivial tasks in flight, %d s per phase%n", pool.describe(), workers,
          status.getJsonArray("workers").size(), window, seconds);
      out.printf("status report: %,d bytes%n", status.encode().length());

      AtomicBoolean running = new AtomicBoolean(true);
      Semaphore inFlight = new Semaphore(window);
      Thread driver = new Thread(() -> {
        int i = 0;
        while (running.get()) {
          inFlight.acquireUninterruptibly();
          executor.submit(BenchTasks.twice(i++)).whenComplete((v, e) -> inFlight.release());
        }
      }, "task-driver");
      driver.start();
      measure(pool, simulated, 0, 20); // warm-up (JIT, connection buffers), not printed

      // without, with, without, with, without: the drift of a warming JVM and a noisy machine falls on both sides
      List<Phase> phases = new ArrayList<>();
      for (int round = 0; round < 5; round++) {
        boolean open = round % 2 == 1;
        phases.add(measure(pool, simulated, open ? viewers : 0, seconds)
            .named(open ? viewers + " pages open" : "no page open"));
      }
      running.set(false);
      driver.join(30_000);

      out.printf("%n%-20s %12s %22s %18s %16s%n", "phase", "tasks/s", "server CPU ms per s", "feed B/s per page",
          "updates/s/page");
      for (Phase p : phases) {
        out.printf("%-20s %,12.0f %22.1f %,18.0f %16.2f%n", p.label(), p.tasksPerSecond(),
            p.serverCpuMillisPerSecond(), p.feedBytesPerSecondPerPage(), p.updatesPerSecondPerPage());
      }
      Phase with = mean(phases, true);
      Phase without = mean(phases, false);
      out.printf("%nwith %d pages open / without (means of the phases, same run): server CPU per second %.2fx,"
          + " tasks per second %.2fx, server CPU per task %.2fx; each page reads %,.0f bytes/s%n", viewers,
          with.serverCpuMillisPerSecond() / without.serverCpuMillisPerSecond(),
          with.tasksPerSecond() / without.tasksPerSecond(),
          (with.serverCpuMillisPerSecond() / with.tasksPerSecond())
              / (without.serverCpuMillisPerSecond() / without.tasksPerSecond()),
          with.feedBytesPerSecondPerPage());
    }
  }

  /** The mean of the phases with pages open ({@code open}) or without. */
  private static Phase mean(List<Phase> phases, boolean open) {
    List<Phase> some = phases.stream().filter(p -> (p.feedBytesPerSecondPerPage() > 0) == open).toList();
    return new Phase(open ? "with" : "without",
        some.stream().mapToDouble(Phase::tasksPerSecond).average().orElse(0),
        some.stream().mapToDouble(Phase::serverCpuMillisPerSecond).average().orElse(0),
        some.stream().mapToDouble(Phase::feedBytesPerSecondPerPage).average().orElse(0),
        some.stream().mapToDouble(Phase::updatesPerSecondPerPage).average().orElse(0));
  }

  private static Measured measure(LoopbackPool pool, SimulatedWorkers simulated, int viewers, int seconds)
      throws Exception {
    List<LiveViewer> pages = new ArrayList<>();
    try {
      for (int i = 0; i < viewers; i++) {
        pages.add(new LiveViewer(pool.url()));
      }
      if (viewers > 0) {
        System.out.printf("%d pages open; the server sends their feed %s%n", viewers,
            pages.get(0).gzipped() ? "gzipped" : "uncompressed");
        TimeUnit.SECONDS.sleep(2); // past the snapshots: what is measured is the steady state
      }
      long cpu0 = pool.serverCpuNanos();
      long tasks0 = simulated.answered();
      long bytes0 = pages.stream().mapToLong(LiveViewer::bytes).sum();
      long updates0 = pages.stream().mapToLong(LiveViewer::updates).sum();
      long t0 = System.nanoTime();
      TimeUnit.SECONDS.sleep(seconds);
      double elapsed = (System.nanoTime() - t0) / 1e9;
      double perPage = Math.max(1, viewers) * elapsed;
      return new Measured((simulated.answered() - tasks0) / elapsed,
          (pool.serverCpuNanos() - cpu0) / 1e6 / elapsed,
          (pages.stream().mapToLong(LiveViewer::bytes).sum() - bytes0) / perPage,
          (pages.stream().mapToLong(LiveViewer::updates).sum() - updates0) / perPage);
    } finally {
      for (LiveViewer page : pages) {
        page.close();
      }
    }
  }

  private record Measured(double tasksPerSecond, double serverCpuMillisPerSecond, double feedBytesPerSecond,
      double updatesPerSecond) {
    Phase named(String label) {
      return new Phase(label, tasksPerSecond, serverCpuMillisPerSecond, feedBytesPerSecond, updatesPerSecond);
    }
  }
}
