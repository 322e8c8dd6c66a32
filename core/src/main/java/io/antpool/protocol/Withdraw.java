package io.antpool.protocol;

/**
 * A client stops now ({@code ExecutorService.shutdownNow}): from the client to the server. The server drops
 * every task of the client still in its queue and names them in its {@link Withdrawn} reply; for every task of
 * the client on a worker slot it sends the slot a {@link Cancel} with {@code interrupt} true, but keeps the
 * task open: its result still reaches the client, as a running task's outcome reaches its future in a
 * {@code ThreadPoolExecutor} that was shut down now.
 */
public record Withdraw() implements Message {
}
