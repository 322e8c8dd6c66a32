package io.antpool.bench;

import io.antpool.SerializableCallable;
import io.antpool.SerializableFunction;
import java.nio.ByteBuffer;

/**
 * The tasks every benchmark runs, on AntPool and on the local baselines alike. The lambdas are created here,
 * so this class is their capturing class: a worker fetches it from the harness and loads it into a task class
 * loader (once per task with {@code rtype} 0) to rebuild each lambda. It must therefore stay free of static
 * state and of static initialisation, and its lambdas capture only primitives.
 */
final class BenchTasks {
  private BenchTasks() {
  }

  /** The trivial task: as little work as a task can do, so what is measured is the pool's own cost. */
  static SerializableCallable<Integer> twice(int x) {
    return () -> x * 2;
  }

  /** The trivial function of the {@code map} runs: {@code x * 2}. */
  static SerializableFunction<Integer, Integer> doubling() {
    return x -> x * 2;
  }

  /** A CPU-bound task: {@link #spin(long, long)} as a callable. */
  static SerializableCallable<Long> spinTask(long iterations, long seed) {
    return () -> spin(iterations, seed);
  }

  /**
   * Pure CPU work with no allocation and no memory traffic: {@code iterations} steps of a xorshift generator.
   * Each step depends on the one before, so the JIT can neither vectorise nor skip the loop, and the result is
   * returned so it cannot be discarded.
   */
  static long spin(long iterations, long seed) {
    long x = seed | 1;
    for (long i = 0; i < iterations; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
    }
    return x;
  }

  /**
   * Computes for about {@code millis} (CPU only: no sleep, no I/O), then returns {@link #expected expected(i)}:
   * a task whose right value is known, for the chaos run.
   */
  static SerializableCallable<Long> valueAfter(int i, long millis) {
    return () -> busy(millis, i) == Long.MIN_VALUE + i ? -1 : expected(i); // the loop's result is used
  }

  /** The value of {@link #valueAfter valueAfter(i, ...)}: distinct for every {@code i}. */
  static long expected(int i) {
    return i * 1_000_003L + 17;
  }

  /** Computes for about {@code millis} (CPU only), then returns the process id of the JVM it ran in. */
  static SerializableCallable<Long> pidAfter(long millis) {
    return () -> busy(millis, 1) == 42 ? -1 : ProcessHandle.current().pid();
  }

  /** Steps a linear congruential generator until {@code millis} have passed; returns its last state. */
  static long busy(long millis, long seed) {
    long end = System.nanoTime() + millis * 1_000_000L;
    long x = seed;
    while (System.nanoTime() < end) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    return x;
  }

  /** A task whose result is {@link #randomBytes randomBytes(size, seed)}, made on the worker: for the payload run. */
  static SerializableCallable<byte[]> payload(int size, long seed) {
    return () -> randomBytes(size, seed);
  }

  /**
   * {@code size} bytes from a xorshift generator seeded with {@code seed}: the same bytes for the same arguments
   * in every JVM, and nothing a compressor or a run-length encoding could shrink.
   */
  static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    ByteBuffer out = ByteBuffer.wrap(bytes);
    long x = seed | 1;
    while (out.remaining() >= Long.BYTES) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      out.putLong(x);
    }
    while (out.hasRemaining()) {
      out.put((byte) (x >>> 8 * out.remaining()));
    }
    return bytes;
  }

  /** The seed of CPU task {@code i}: distinct per task, identical in every run. */
  static long seed(int i) {
    return 0x9E3779B97F4A7C15L * (i + 1);
  }
}
