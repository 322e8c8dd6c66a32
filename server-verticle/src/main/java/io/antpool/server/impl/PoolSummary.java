package io.antpool.server.impl;

import io.antpool.protocol.Result;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line about the pool every period (a minute, {@link #PERIOD}) while the server runs, at info level:
 * what was answered in the period (completed, failed, rerun), the pool now (worker processes, slots, busy slots,
 * queued tasks, clients), and the latency (submit to answer) p50 and p99 of the tasks answered in the period.
 * It goes wherever the log goes: the console with {@code /v}, else {@code aSrv_log.txt}. The counts are the
 * differences of the {@link ServerStats} counters between two lines; the latencies are sampled here, on the
 * server's event loop, as tasks are answered; the line is written by a timer on the same loop.
 */
final class PoolSummary implements PoolListener {
  static final Duration PERIOD = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(PoolSummary.class);

  private final Scheduler scheduler;
  private final ServerStats stats;
  private final Duration period;
  private final LatencySample latencies = new LatencySample();
  /** The counters when the period began. */
  private long completedBefore;
  private long failedBefore;
  private long rerunBefore;
  private long timer = -1;

  PoolSummary(Scheduler scheduler, ServerStats stats, Duration period) {
    this.scheduler = scheduler;
    this.stats = stats;
    this.period = period;
  }

  /** Starts the timer; call on the server's event loop. */
  void start(Vertx vertx) {
    timer = vertx.setPeriodic(period.toMillis(), id -> {
      log.info(line());
      reset();
    });
  }

  void stop(Vertx vertx) {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Samples the latency of tasks a worker answered (as the latency timer of {@link PoolMeters} does). */
  @Override
  public void taskAnswered(TaskRecord task, WorkerSlot ranOn, Result result) {
    if (ranOn != null) {
      latencies.record(System.nanoTime() - task.submittedAtNanos);
    }
  }

  /**
   * The line, e.g. {@code last 60 s: completed 120, failed 2, rerun 1; workers 3, slots 12, busy 10, queued 40,
   * clients 2; latency p50 12.31 ms, p99 80.12 ms}.
   */
  String line() {
    double[] p50p99 = latencies.quantilesMillis(0.5, 0.99);
    String latency = latencies.count() == 0 ? "no task answered by a worker"
        : String.format(Locale.ROOT, "latency p50 %.2f ms, p99 %.2f ms", p50p99[0], p50p99[1]);
    return String.format(Locale.ROOT, "last %s: completed %d, failed %d, rerun %d; workers %d, slots %d, busy %d,"
        + " queued %d, clients %d; %s", periodText(),
        stats.completed - completedBefore, stats.failed - failedBefore, stats.rerun - rerunBefore,
        WorkerProcesses.count(scheduler.slots()), scheduler.slots().size(), scheduler.busySlots(),
        scheduler.queueDepth(), scheduler.clients().size(), latency);
  }

  private String periodText() {
    long millis = period.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private void reset() {
    completedBefore = stats.completed;
    failedBefore = stats.failed;
    rerunBefore = stats.rerun;
    latencies.clear();
  }
}
