package io.antpool.it.caching;

import io.antpool.SerializableCallable;

/** A task whose class file the caching test rewrites to "greeting-v2", to play a changed class. */
public final class VersionedGreeting implements SerializableCallable<String> {
  private static final long serialVersionUID = 1L;

  @Override
  public String call() {
    return "greeting-v1";
  }
}
