package io.antpool.it.isolation;

import io.antpool.SerializableCallable;

/**
 * A class without static state (no static field but constants, no static initializer): mode 0 may keep the loader
 * it lives in from one task to the next, as no task could tell the difference.
 */
public final class StatelessTasks {
  static final String PREFIX = "stateless@";

  private StatelessTasks() {
  }

  /** Answers {@code stateless@loader}, the loader being the one this class lives in. */
  public static SerializableCallable<String> whereAmI() {
    return () -> PREFIX + StatelessTasks.class.getClassLoader().getName();
  }
}
