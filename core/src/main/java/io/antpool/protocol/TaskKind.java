package io.antpool.protocol;

/** How a worker invokes a task object: {@code call()} of a Callable or {@code run()} of a Runnable. */
public enum TaskKind {
  CALLABLE,
  RUNNABLE
}
