package io.antpool.it.isolation;

/** Static state, to see how long a task class loader lives on a worker. */
final class Counter {
  private static int count;

  private Counter() {
  }

  static synchronized int next() {
    return ++count;
  }
}
