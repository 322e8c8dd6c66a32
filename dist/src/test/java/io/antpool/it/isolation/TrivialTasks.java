package io.antpool.it.isolation;

import io.antpool.SerializableCallable;

/**
 * Trivial lambdas, made in a small class so each task loader defines little beyond the lambda itself. The class
 * holds static state (a field that is not a compile-time constant), so isolation mode 0 gives every task a loader
 * of its own: the leak test needs each task to define its classes afresh.
 */
public final class TrivialTasks {
  /** State as far as the worker can tell; nothing reads it. */
  static final Object IDENTITY = new Object();

  private TrivialTasks() {
  }

  public static SerializableCallable<Integer> plusOne(int x) {
    return () -> x + 1;
  }
}
