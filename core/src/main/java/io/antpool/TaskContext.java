package io.antpool;

import io.antpool.task.impl.TaskContextBinding;

/**
 * What a running task can tell about itself: its progress, which reaches the caller's progress listener
 * ({@code AntPoolExecutor.setProgressListener}), the task's future ({@code AntPoolExecutor.progress(future)}) and
 * the server's dashboard.
 *
 * <pre>{@code
 * pool.submit(() -> {
 *   TaskContext context = TaskContext.current();
 *   for (int i = 0; i < files.size(); i++) {
 *     context.progress(i, files.size(), "reading " + files.get(i));
 *     read(files.get(i));
 *   }
 *   return files.size();
 * });
 * }</pre>
 *
 * <h2>Which context</h2>
 * {@link #current()}, called on the thread that runs the task on an AntPool worker, gives that task's context.
 * The context itself may be used from any thread (capture it, and hand it to the threads the task starts) until
 * the task ends; reports made after that are ignored. Anywhere else (the same task run by a local thread pool, a
 * unit test, a thread the task started that was not handed the context) {@code current()} gives a context that
 * checks its arguments as on a worker and otherwise does nothing, so a task stays portable.
 *
 * <h2>How often</h2>
 * Report as often as is convenient: a report costs a lock and a few field writes, and the worker sends at most
 * one report per task every 250 ms, the latest (a report superseded within that time is never sent). The last
 * report a task makes is never lost: it is sent within 250 ms, or, when the task ends first, just before the
 * task's result, so the caller sees it before the future completes. Nothing is sent after the result.
 */
@FunctionalInterface
public interface TaskContext {

  /**
   * The context of the task running on this thread, or, outside an AntPool worker's task thread, a context
   * that checks its arguments and does nothing else. Never null.
   */
  static TaskContext current() {
    return TaskContextBinding.current();
  }

  /** Reports {@code progress}; see the class comment for where it goes and how often. */
  void progress(TaskProgress progress);

  /**
   * Reports that {@code done} units of {@code total} are done (0 as {@code total}: not known).
   *
   * @throws IllegalArgumentException for figures {@link TaskProgress} does not accept
   */
  default void progress(long done, long total) {
    progress(new TaskProgress(done, total, null));
  }

  /**
   * Reports that {@code done} units of {@code total} are done (0 as {@code total}: not known), with a short
   * message (cut to {@value TaskProgress#MAX_MESSAGE_CHARS} characters; see {@link TaskProgress}).
   *
   * @throws IllegalArgumentException for figures {@link TaskProgress} does not accept
   */
  default void progress(long done, long total, String message) {
    progress(new TaskProgress(done, total, message));
  }
}
