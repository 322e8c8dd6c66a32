package io.antpool.bench;

import io.antpool.SerializableCallable;

/**
 * The trivial task of {@link BenchTasks}, made in a class that holds static state. In isolation mode 0 a worker
 * keeps a task loader for the next task only when no class in it can hold static state; {@link BenchTasks} has
 * none, so its tasks share a loader, while every task of this class gets a fresh one and defines it again. The
 * two show both costs of mode 0: for classes without static state, and for the rest.
 */
final class StatefulTasks {
  /** Static state as far as a worker can tell (a static field that is not a compile-time constant). */
  static final Object IDENTITY = new Object();

  private StatefulTasks() {
  }

  /** As {@link BenchTasks#twice}. */
  static SerializableCallable<Integer> twice(int x) {
    return () -> x * 2;
  }
}
