package io.antpool.protocol;

/**
 * A worker slot that is stopping gracefully (SIGTERM, Ctrl-C, its verticle undeployed), to the server: send
 * it no more tasks. The task it runs, if any, still ends normally and its {@link Result} is forwarded as usual;
 * then the slot leaves. Nobody answers.
 */
public record Drain() implements Message {
}
