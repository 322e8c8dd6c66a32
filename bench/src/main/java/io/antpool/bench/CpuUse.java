package io.antpool.bench;

import java.time.Duration;

/**
 * CPU time used so far by the server JVM, the worker JVMs together, and this harness JVM (where the AntPool
 * client and the local pool run), as the operating system counts it: every thread, the JIT compiler and the
 * garbage collector included. Differences of two snapshots divided by a task count give the CPU cost of a
 * task in each process, a figure that, unlike throughput, barely depends on what else the machine runs.
 */
record CpuUse(long serverNanos, long workerNanos, long harnessNanos) {

  static CpuUse of(LoopbackPool pool) {
    return new CpuUse(pool.serverCpuNanos(), pool.workerCpuNanos(), nanos(ProcessHandle.current()));
  }

  static long nanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  CpuUse minus(CpuUse earlier) {
    return new CpuUse(serverNanos - earlier.serverNanos, workerNanos - earlier.workerNanos,
        harnessNanos - earlier.harnessNanos);
  }

  long totalNanos() {
    return serverNanos + workerNanos + harnessNanos;
  }
}
