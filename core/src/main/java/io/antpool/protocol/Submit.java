package io.antpool.protocol;

import java.util.Map;

/**
 * Client to server: run this task. The frame payload is the task object in Java serialization; the server
 * never decodes it.
 *
 * @param taskId chosen by the client, unique among its tasks in flight
 * @param kind whether to call or run the task object
 * @param rtype isolation mode: 0 fresh class loader per task, 1 loader dropped after the task, 2 one loader
 *     per client session
 * @param loader which of the client's class loaders the task's classes come from (the client numbers them);
 *     workers fetch and cache classes per session and loader, so two loaders holding different versions of a
 *     class never mix
 * @param requires tags a worker slot must carry for the task to run there: every key with exactly that value
 *     (an empty value matches only a bare tag, i.e. a tag whose value is empty). Never null; empty: any slot
 * @param spread place the task, among the free slots it may use, on a host (the remote address the server
 *     sees) that runs the fewest of this client's tasks
 * @param broadcast null for a task that runs once; else run it once on every slot ({@link BroadcastScope#SLOTS})
 *     or on one slot per host ({@link BroadcastScope#HOSTS}) that meets {@code requires} when the server
 *     receives it, and answer with one {@link Result} per target (see {@link Result#parts()})
 * @param timeoutMillis how long the task may run on its worker before it is interrupted and fails with a
 *     {@code TimeoutException}; 0 (also when absent) for no limit
 */
public record Submit(long taskId, TaskKind kind, int rtype, int loader, Map<String, String> requires,
    boolean spread, BroadcastScope broadcast, long timeoutMillis) implements Message {

  public Submit {
    requires = requires == null ? Map.of() : Map.copyOf(requires);
  }

  /** A task whose classes come from the client's first loader: no routing, run once, no timeout. */
  public Submit(long taskId, TaskKind kind, int rtype) {
    this(taskId, kind, rtype, 0);
  }

  /** A task with no routing: any slot, no spreading, run once, no timeout. */
  public Submit(long taskId, TaskKind kind, int rtype, int loader) {
    this(taskId, kind, rtype, loader, Map.of(), false, null, 0);
  }

  /** A task with no routing and the given timeout. */
  public Submit(long taskId, TaskKind kind, int rtype, int loader, long timeoutMillis) {
    this(taskId, kind, rtype, loader, Map.of(), false, null, timeoutMillis);
  }

  /** A routed task without a timeout. */
  public Submit(long taskId, TaskKind kind, int rtype, int loader, Map<String, String> requires, boolean spread,
      BroadcastScope broadcast) {
    this(taskId, kind, rtype, loader, requires, spread, broadcast, 0);
  }
}
