package io.antpool.protocol;

/**
 * A worker slot's answer to {@link Recall}. {@code released} true: the slot dropped the task before it started,
 * never runs it and sends no result for it; the server owns it again. False: the task had already started (or
 * ended) on the slot, or the slot never held it; its result comes, or came, as usual.
 *
 * @param taskId the server's id of the task, as in the recall
 * @param released whether the slot gave the task back unstarted
 */
public record Recalled(long taskId, boolean released) implements Message {
}
