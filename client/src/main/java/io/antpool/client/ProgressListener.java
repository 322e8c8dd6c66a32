package io.antpool.client;

import io.antpool.TaskProgress;
import java.util.concurrent.Future;

/**
 * Learns how an {@link AntPoolExecutor}'s work goes: how many of its tasks were submitted and have ended, and
 * what its running tasks report of their own progress ({@link io.antpool.TaskContext}). Set one with
 * {@link AntPoolExecutor#setProgressListener}; implement the methods you need.
 *
 * <h2>Threads</h2>
 * Calls come one at a time, never two at once, on one of AntPool's completion threads: never on a network
 * thread, so a slow listener delays only later calls to itself, never the connection or the tasks' futures.
 * While it is busy, what it would be told coalesces: the latest report of each task and the latest figures, so
 * a slow listener skips values rather than falling behind. A call may come after the future it concerns has
 * completed. A listener that throws is logged, and called again for later events. A listener must not wait for
 * its executor's termination ({@code close()}, {@code awaitTermination}): that termination waits for the
 * listener's last call; it may call {@code shutdown()}.
 */
public interface ProgressListener {

  /**
   * The executor's task figures changed ({@link TaskCounts} says what each means). Called at most every
   * {@value io.antpool.client.impl.ProgressNotifier#COUNTS_INTERVAL_MILLIS} ms while they change, at once with
   * the current figures when the listener is set, and with the last figures once no task is outstanding: before
   * {@code close()} returns, the listener has seen the final figures. Being throttled, they may lag the futures:
   * {@link AntPoolExecutor#taskCounts()} gives them as they are.
   */
  default void counts(long submitted, long completed, long failed) {
  }

  /**
   * A running task reported its progress. {@code task} is the future {@code submit} returned for it. The worker
   * sends at most one report per task every 250 ms, the latest, and the task's last report before its result
   * (see {@link io.antpool.TaskContext}); a task run again after its worker was lost reports from the start.
   * Broadcasts report no progress.
   */
  default void taskProgress(Future<?> task, TaskProgress progress) {
  }
}
