package io.antpool.client;

import io.antpool.config.Tags;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Routing of one task (or one broadcast, or one batch submitted with the same options), on top of the
 * executor's {@link AntPoolOptions}: its required tags are added to the executor's (the task's value wins for a
 * key both name), and {@code spread} is on if either asks for it.
 *
 * <pre>{@code
 * pool.submit(() -> crawl(url), TaskOptions.requireTags("region=eu"));
 * pool.invokeAll(pages, TaskOptions.NONE.withSpread(true));
 * }</pre>
 *
 * @param requiredTags tags a worker must carry to run the task (see {@link Tags}: {@code key=value}, or a bare
 *     key with the empty string as value). A task no connected worker can run is not an error: it waits in the
 *     server's queue until such a worker joins, without holding up other tasks
 * @param spread place the task on the host (IP address, as the server sees it) that runs the fewest of this
 *     client's tasks among those with a free slot; see {@link AntPoolOptions#setSpread}
 * @param timeoutMillis how long the task may run on its worker (see {@link AntPoolOptions#setTaskTimeoutMillis});
 *     0 for the executor's
 */
public record TaskOptions(Map<String, String> requiredTags, boolean spread, long timeoutMillis) {
  /** No requirement, no spreading, no timeout beyond the executor's options. */
  public static final TaskOptions NONE = new TaskOptions(Map.of(), false, 0);

  public TaskOptions {
    requiredTags = requiredTags == null ? Map.of() : Map.copyOf(requiredTags);
    if (timeoutMillis < 0) {
      throw new IllegalArgumentException("timeoutMillis must be 0 (the executor's) or positive, got "
          + timeoutMillis);
    }
  }

  /** Requires the given tags, each {@code key=value} or a bare {@code key}. */
  public static TaskOptions requireTags(String... tags) {
    return new TaskOptions(Tags.parseAll(Arrays.asList(tags)), false, 0);
  }

  public TaskOptions withSpread(boolean spreadTasks) {
    return new TaskOptions(requiredTags, spreadTasks, timeoutMillis);
  }

  /**
   * These options with a timeout for the task on its worker, instead of the executor's: at the deadline the
   * worker interrupts it and its future fails with a {@link java.util.concurrent.TimeoutException} as cause.
   */
  public TaskOptions withTimeout(Duration timeout) {
    return new TaskOptions(requiredTags, spread, Math.max(1, timeout.toMillis()));
  }

  /**
   * These options on top of the executor's: the tags of both (these win), spread if either spreads, this
   * timeout if set, else the executor's.
   */
  public TaskOptions over(AntPoolOptions executor) {
    Map<String, String> tags = executor.getRequiredTags(); // immutable: taken as it is (every task asks)
    if (!requiredTags.isEmpty()) {
      tags = new LinkedHashMap<>(tags);
      tags.putAll(requiredTags);
    }
    return new TaskOptions(tags, spread || executor.isSpread(),
        timeoutMillis > 0 ? timeoutMillis : executor.getTaskTimeoutMillis());
  }
}
