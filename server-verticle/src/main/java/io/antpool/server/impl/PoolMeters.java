package io.antpool.server.impl;

import io.antpool.protocol.Result;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * AntPool's meters in a Micrometer registry (docs/api.md lists them with their Prometheus names). Counters and
 * gauges read the server's own figures ({@link ServerStats}, the {@link Scheduler}) when the registry is
 * scraped, so they cost nothing per task and always agree with the status API; the two timers are recorded
 * here, once per answered task. Gauges walk the scheduler's state: scrape only on the server's event loop (its
 * {@code /metrics} route does).
 */
final class PoolMeters implements PoolListener {
  static final String SUBMITTED = "antpool.tasks.submitted";
  /** Upper bounds of the timers' histogram buckets: from fast tasks (1 ms) to long ones (an hour). */
  private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
      Duration.ofMinutes(15), Duration.ofHours(1)};

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Timer latency;
  private final Timer runTime;

  PoolMeters(MeterRegistry registry, Scheduler scheduler, ServerStats stats) {
    this.registry = registry;
    count(SUBMITTED, "Tasks accepted from clients and queued (a broadcast counts once per worker slot)", stats,
        s -> s.submitted);
    count("antpool.tasks.completed", "Tasks answered with a value", stats, s -> s.completed);
    count("antpool.tasks.failed", "Tasks answered with an error: the task threw, could not be run, or was lost"
        + " with every worker it ran on", stats, s -> s.failed);
    count("antpool.tasks.rerun", "Times a task was queued again because its worker was lost", stats, s -> s.rerun);
    count("antpool.tasks.recalled", "Tasks a worker slot held unstarted and gave back when the server recalled them",
        stats, s -> s.recalled);
    count("antpool.tasks.cancelled", "Tasks (and whole broadcasts) cancelled by their client or dropped with its"
        + " session", stats, s -> s.cancelled);
    meters.add(FunctionCounter.builder("antpool.received", stats, s -> s.bytesIn).baseUnit(BaseUnits.BYTES)
        .description("Bytes of messages received from clients and workers").register(registry));
    meters.add(FunctionCounter.builder("antpool.sent", stats, s -> s.bytesOut).baseUnit(BaseUnits.BYTES)
        .description("Bytes of messages sent to clients and workers").register(registry));
    gauge("antpool.queue.depth", "Tasks waiting for a worker slot", scheduler, Scheduler::queueDepth);
    gauge("antpool.workers", "Worker processes connected (each with one or more slots)", scheduler,
        s -> WorkerProcesses.count(s.slots()));
    gauge("antpool.slots", "Worker slots connected: tasks the pool can run at once", scheduler,
        s -> s.slots().size());
    gauge("antpool.slots.busy", "Worker slots running a task", scheduler, Scheduler::busySlots);
    gauge("antpool.clients", "Client sessions, including those waiting for their client to reconnect", scheduler,
        s -> s.clients().size());
    latency = timer("antpool.task.latency", "Time from a task's submission to its answer, queueing included");
    runTime = timer("antpool.task.run", "Time from a task's (last) dispatch to a worker slot to its answer");
  }

  private <T> void count(String name, String description, T source, ToDoubleFunction<T> value) {
    meters.add(FunctionCounter.builder(name, source, value).description(description).register(registry));
  }

  private <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
    meters.add(Gauge.builder(name, source, value).description(description).strongReference(true)
        .register(registry));
  }

  private Timer timer(String name, String description) {
    Timer timer = Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS).register(registry);
    meters.add(timer);
    return timer;
  }

  /** Times tasks a worker answered; a task answered without one (lost with every worker) ran nowhere to time. */
  @Override
  public void taskAnswered(TaskRecord task, WorkerSlot ranOn, Result result) {
    if (ranOn == null) {
      return;
    }
    long now = System.nanoTime();
    latency.record(now - task.submittedAtNanos, TimeUnit.NANOSECONDS);
    runTime.record(now - task.dispatchedAtNanos, TimeUnit.NANOSECONDS);
  }

  /** Removes these meters from the registry, which may outlive the server (Vert.x's does). */
  void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
