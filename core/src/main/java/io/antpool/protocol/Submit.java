package io.antpool.protocol;

/**
 * Client to server: run this task. The frame payload is the task object in Java serialization; the server
 * never decodes it.
 *
 * @param taskId chosen by the client, unique among its tasks in flight
 * @param kind whether to call or run the task object
 * @param rtype isolation mode: 0 fresh class loader per task, 1 loader dropped after the task, 2 one loader
 *     per client session
 */
public record Submit(long taskId, TaskKind kind, int rtype) implements Message {
}
