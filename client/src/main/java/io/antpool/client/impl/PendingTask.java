package io.antpool.client.impl;

import io.antpool.protocol.TaskKind;
import io.vertx.core.Promise;

/**
 * A task the client holds until its result arrives: its bytes (to resubmit after a reconnect), its class loader
 * and that loader's number in the {@link ClassServer}, and its promise.
 */
record PendingTask(long id, TaskKind kind, int rtype, long timeoutMillis, byte[] bytes, ClassLoader loader,
    int loaderId, Promise<Object> promise) {
}
