package io.antpool.protocol;

/**
 * Stop a task: from a client to the server (with the client's task id), then from the server to the worker
 * slot running it (with the server's task id, as in {@link Dispatch}). Nobody answers: a cancel of a task that
 * is unknown or already finished is ignored.
 *
 * <p>The server drops a queued task at once; for a running one it forwards the cancel to the slot and
 * discards the task's result, which it still waits for as the sign that the slot is free. A worker
 * interrupts the slot's thread when {@code interrupt} is true and otherwise lets the task run to its end.
 *
 * @param taskId the task to stop
 * @param interrupt whether a running task's thread is interrupted, as in
 *     {@link java.util.concurrent.Future#cancel(boolean)}
 */
public record Cancel(long taskId, boolean interrupt) implements Message {
}
