package io.antpool.protocol;

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
 * @param timeoutMillis how long the task may run on its worker before it is interrupted and fails with a
 *     {@code TimeoutException}; 0 (also when absent) for no limit
 */
public record Submit(long taskId, TaskKind kind, int rtype, int loader, long timeoutMillis) implements Message {

  /** A task whose classes come from the client's first loader, without a timeout. */
  public Submit(long taskId, TaskKind kind, int rtype) {
    this(taskId, kind, rtype, 0, 0);
  }

  /** A task without a timeout. */
  public Submit(long taskId, TaskKind kind, int rtype, int loader) {
    this(taskId, kind, rtype, loader, 0);
  }
}
