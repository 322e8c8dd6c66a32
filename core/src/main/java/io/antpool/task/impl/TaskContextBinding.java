package io.antpool.task.impl;

import io.antpool.TaskContext;

/**
 * Binds a {@link TaskContext} to the thread that runs a task: the worker binds the task's context as the task
 * starts and unbinds it as it ends; {@link TaskContext#current()} reads it.
 */
public final class TaskContextBinding {
  /** Outside a task: figures are checked (by {@link TaskContext}'s defaults), nothing else happens. */
  private static final TaskContext NONE = progress -> { };
  private static final ThreadLocal<TaskContext> BOUND = new ThreadLocal<>();

  private TaskContextBinding() {
  }

  /** The context bound to this thread, or one that does nothing. */
  public static TaskContext current() {
    TaskContext bound = BOUND.get();
    return bound != null ? bound : NONE;
  }

  /** Binds {@code context} to the calling thread until {@link #unbind()}. */
  public static void bind(TaskContext context) {
    BOUND.set(context);
  }

  /** Removes the calling thread's context. */
  public static void unbind() {
    BOUND.remove();
  }
}
