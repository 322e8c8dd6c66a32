package io.antpool.it.isolation;

import io.antpool.SerializableCallable;

/** Trivial lambdas, made in a small class so each task loader defines little beyond the lambda itself. */
public final class TrivialTasks {
  private TrivialTasks() {
  }

  public static SerializableCallable<Integer> plusOne(int x) {
    return () -> x + 1;
  }
}
