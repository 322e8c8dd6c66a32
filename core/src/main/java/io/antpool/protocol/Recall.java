package io.antpool.protocol;

/**
 * From the server to a worker slot: give back a task it holds behind the one it runs (its prefetch) if the task
 * has not started yet. The slot always answers with {@link Recalled}, saying whether it gave the task back.
 *
 * <p>The server recalls a held task when another slot is free to run it sooner (the task ahead of it runs
 * long), and when the task's client stops now ({@link Withdraw}), so that the task is returned as never
 * started instead of being cancelled.
 *
 * @param taskId the server's id of the task, as in {@link Dispatch}
 */
public record Recall(long taskId) implements Message {
}
