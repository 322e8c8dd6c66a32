package io.antpool.client;

/**
 * How many tasks an executor was given and how many have ended, as {@link ProgressListener#counts} tells them:
 * {@code submitted} tasks accepted (a {@code map} chunk or a broadcast counts once), of which {@code completed}
 * ended with a value and {@code failed} without one (the task threw, was lost with its workers, was cancelled,
 * or could not be sent).
 */
public record TaskCounts(long submitted, long completed, long failed) {

  /** Tasks that have ended, either way. */
  public long ended() {
    return completed + failed;
  }

  /** Tasks not ended yet: waiting or running. */
  public long outstanding() {
    return submitted - ended();
  }
}
