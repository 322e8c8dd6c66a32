package io.antpool.it.dashboard;

import io.antpool.SerializableCallable;

/** Tasks for the dashboard's browser test, in a class of their own so workers load nothing of the test. */
public final class DashboardTasks {
  private DashboardTasks() {
  }

  /** A task that fails on its worker with an {@link IllegalStateException} carrying {@code message}. */
  public static SerializableCallable<Long> failing(String message) {
    return () -> {
      throw new IllegalStateException(message);
    };
  }
}
