package io.antpool.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The measurement drivers. Each one is bounded by a time budget (and most by a task count), checks every value
 * it gets back, and fails loudly (rather than report a figure) when a task fails or hangs.
 */
final class Measure {
  /** The longest any single task or drain may take before the measurement is declared stuck. */
  private static final long STUCK_SECONDS = 60;
  private static final Duration STUCK = Duration.ofSeconds(STUCK_SECONDS);

  private Measure() {
  }

  /**
   * Trivial tasks with {@code window} in flight at all times: a task is submitted as soon as one completes,
   * until {@code maxTasks} were submitted or {@code budget} has passed; then the window drains.
   *
   * @return the tasks completed and the time from the first submission to the last completion
   */
  static Run throughput(Target target, int window, long maxTasks, Duration budget) throws Exception {
    Semaphore slots = new Semaphore(window);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicLong wrong = new AtomicLong();
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    long submitted = 0;
    while (submitted < maxTasks && failure.get() == null && System.nanoTime() - deadline < 0) {
      if (!slots.tryAcquire(STUCK.toMillis(), TimeUnit.MILLISECONDS)) {
        throw stuck(target, "no task of " + window + " in flight completed");
      }
      int x = (int) submitted;
      target.submit(target.trivial(x)).whenComplete((v, e) -> {
        if (e != null) {
          failure.compareAndSet(null, e);
        } else if (v == null || v != x * 2) {
          wrong.incrementAndGet();
        }
        slots.release();
      });
      submitted++;
    }
    if (!slots.tryAcquire(window, STUCK.toMillis(), TimeUnit.MILLISECONDS)) {
      throw stuck(target, "the last tasks in flight did not complete");
    }
    long elapsed = System.nanoTime() - start;
    check(target, failure.get(), wrong.get());
    return new Run(submitted, elapsed / 1e9);
  }

  /** The outcome of one throughput run. */
  record Run(long tasks, double seconds) {
    double rate() {
      return tasks / seconds;
    }
  }

  /**
   * Warms a target up with throughput rounds of length {@code round} until it has run at least
   * {@code minTasks} and is steady: the last three rounds within 10% of each other. The task floor matters
   * because the JIT of every JVM on the path (for AntPool: client, server and workers) compiles in stages, and
   * the rate can stay flat for a few rounds between two of them; a method reaches the optimising compiler only
   * after thousands of calls. Stops after {@code budget} in any case.
   *
   * @return the rate of every round, in order, and whether the target became steady within the budget
   */
  static WarmUp warmUp(Target target, int window, Duration round, long minTasks, Duration budget)
      throws Exception {
    List<Double> rates = new ArrayList<>();
    long tasks = 0;
    long deadline = System.nanoTime() + budget.toNanos();
    boolean done;
    do {
      Run run = throughput(target, window, Long.MAX_VALUE, round);
      tasks += run.tasks();
      rates.add(run.rate());
      done = tasks >= minTasks && steady(rates);
    } while (!done && System.nanoTime() + round.toNanos() - deadline < 0);
    return new WarmUp(rates.stream().mapToDouble(Double::doubleValue).toArray(), tasks, done);
  }

  /**
   * Waits until the pool's JVMs and this one are quiet (together under {@code share} of one core over one
   * {@code interval}, and no JIT compiler thread of theirs running or runnable: {@link JitActivity}), then runs {@code target} with 64 tasks in flight for one {@code interval} and waits again,
   * until a burst leaves them quiet at once, for at most {@code budget}. The JIT compiles what a warm-up made
   * hot for a while after it; on a busy machine its queue lags, it raises its thresholds meanwhile, and what it
   * deferred is compiled when the path next runs: a job timed then would share its cores with those compilations.
   *
   * @return how long it took, the bursts run, and whether the JVMs were quiet at the end
   */
  static Settle settle(LoopbackPool pool, Target target, double share, Duration interval, Duration budget)
      throws Exception {
    long start = System.nanoTime();
    int bursts = 0;
    while (true) {
      boolean quietAtOnce = true;
      boolean quiet;
      CpuUse before = CpuUse.of(pool);
      do {
        Thread.sleep(interval.toMillis());
        CpuUse now = CpuUse.of(pool);
        quiet = now.minus(before).totalNanos() < share * interval.toNanos() && !pool.compiling();
        quietAtOnce &= quiet;
        before = now;
      } while (!quiet && System.nanoTime() - start < budget.toNanos());
      if (!quiet || (quietAtOnce && bursts > 0) || System.nanoTime() - start >= budget.toNanos()) {
        return new Settle((System.nanoTime() - start) / 1e9, bursts, quiet && quietAtOnce && bursts > 0);
      }
      throughput(target, 64, Long.MAX_VALUE, interval);
      bursts++;
    }
  }

  /** The seconds a {@link #settle} took, its bursts, and whether the last burst left the JVMs quiet at once. */
  record Settle(double seconds, int bursts, boolean quiet) {
  }

  /** The tasks per second of each warm-up round, the tasks run, and whether the warm-up ended steady. */
  record WarmUp(double[] rates, long tasks, boolean steady) {
  }

  private static boolean steady(List<Double> rates) {
    if (rates.size() < 3) {
      return false;
    }
    List<Double> last = rates.subList(rates.size() - 3, rates.size());
    double min = last.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = last.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return min >= 0.9 * max;
  }

  /**
   * Trivial tasks one at a time: submit, wait for the value, repeat; until {@code maxSamples} or
   * {@code budget} has passed.
   *
   * @return each round trip in nanoseconds, submit to value in hand
   */
  static long[] roundTrips(Target target, int maxSamples, Duration budget) throws Exception {
    long[] samples = new long[maxSamples];
    int n = 0;
    long deadline = System.nanoTime() + budget.toNanos();
    while (n < maxSamples && (n == 0 || System.nanoTime() - deadline < 0)) {
      int x = n;
      long t0 = System.nanoTime();
      Integer v = await(target, target.submit(target.trivial(x)));
      long dt = System.nanoTime() - t0;
      if (v == null || v != x * 2) {
        check(target, null, 1);
      }
      samples[n++] = dt;
    }
    return Arrays.copyOf(samples, n);
  }

  /** The outcome of one CPU-bound job: its wall time and the checksum of its values. */
  record Job(double seconds, long checksum) {
  }

  /** Runs the CPU tasks one after the other on the calling thread: the serial baseline. */
  static Job cpuSerial(int tasks, long iterations) throws Exception {
    long start = System.nanoTime();
    long checksum = 0;
    for (int i = 0; i < tasks; i++) {
      checksum += BenchTasks.spinTask(iterations, BenchTasks.seed(i)).call();
    }
    return new Job((System.nanoTime() - start) / 1e9, checksum);
  }

  /** Submits all the CPU tasks at once to {@code target} and waits for every value. */
  static Job cpuParallel(Target target, int tasks, long iterations) throws Exception {
    long start = System.nanoTime();
    List<CompletableFuture<Long>> futures = new ArrayList<>(tasks);
    for (int i = 0; i < tasks; i++) {
      futures.add(target.submit(BenchTasks.spinTask(iterations, BenchTasks.seed(i))));
    }
    long checksum = 0;
    for (CompletableFuture<Long> f : futures) {
      checksum += await(target, f);
    }
    return new Job((System.nanoTime() - start) / 1e9, checksum);
  }

  /** How many {@link BenchTasks#spin} iterations take {@code perTask} on this machine, measured here. */
  record Calibration(long iterations, double nanosPerIteration) {
  }

  /**
   * Calibrates the CPU task in this JVM: first enough runs for the JIT to compile {@link BenchTasks#spin},
   * then the median of five timed probes of about 100 ms.
   */
  static Calibration calibrate(Duration perTask) {
    long sink = 0;
    long warm = 20_000_000;
    long t0 = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      sink += BenchTasks.spin(warm, BenchTasks.seed(i));
    }
    // probes of about 100 ms each, whatever the speed of the machine
    long probe = Math.max(1_000_000, Math.round(warm * 5 * 1e8 / Math.max(1, System.nanoTime() - t0)));
    double[] perIteration = new double[5];
    for (int i = 0; i < perIteration.length; i++) {
      long start = System.nanoTime();
      sink += BenchTasks.spin(probe, BenchTasks.seed(i));
      perIteration[i] = (double) (System.nanoTime() - start) / probe;
    }
    double ns = Stats.median(perIteration);
    long iterations = Math.max(1, Math.round(perTask.toNanos() / ns));
    // sink is used so that no run above can be optimised away
    return new Calibration(iterations + (sink == 42 ? 1 : 0), ns);
  }

  /**
   * Waits for one task's value.
   *
   * @throws IllegalStateException if the task failed, or did not complete within {@value #STUCK_SECONDS} s
   */
  static <T> T await(Target target, CompletableFuture<T> future) throws Exception {
    try {
      return future.get(STUCK.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw stuck(target, "a task did not complete");
    } catch (ExecutionException e) {
      throw new IllegalStateException(target.name() + ": a benchmark task failed: " + e.getCause(), e.getCause());
    }
  }

  private static void check(Target target, Throwable failure, long wrong) {
    if (failure != null) {
      throw new IllegalStateException(target.name() + ": a benchmark task failed: " + failure, failure);
    }
    if (wrong > 0) {
      throw new IllegalStateException(target.name() + ": " + wrong + " task(s) returned a wrong value");
    }
  }

  private static IllegalStateException stuck(Target target, String what) {
    return new IllegalStateException(target.name() + ": " + what + " within " + STUCK.toSeconds()
        + " s; the measurement is abandoned (run with --verbose to see the server's and workers' output)");
  }
}
