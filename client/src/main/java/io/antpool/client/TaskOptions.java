package io.antpool.client;

import io.antpool.config.Tags;
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
 */
public record TaskOptions(Map<String, String> requiredTags, boolean spread) {
  /** No requirement, no spreading beyond the executor's options. */
  public static final TaskOptions NONE = new TaskOptions(Map.of(), false);

  public TaskOptions {
    requiredTags = requiredTags == null ? Map.of() : Map.copyOf(requiredTags);
  }

  /** Requires the given tags, each {@code key=value} or a bare {@code key}. */
  public static TaskOptions requireTags(String... tags) {
    return new TaskOptions(Tags.parseAll(Arrays.asList(tags)), false);
  }

  public TaskOptions withSpread(boolean spreadTasks) {
    return new TaskOptions(requiredTags, spreadTasks);
  }

  /** These options on top of the executor's: the tags of both (these win), spread if either spreads. */
  public TaskOptions over(AntPoolOptions executor) {
    Map<String, String> tags = new LinkedHashMap<>(executor.getRequiredTags());
    tags.putAll(requiredTags);
    return new TaskOptions(tags, spread || executor.isSpread());
  }
}
