package io.antpool.client.impl;

import io.antpool.protocol.TaskKind;
import io.vertx.core.Promise;

/** A task the client holds until its result arrives: its bytes (to resubmit after a reconnect) and promise. */
record PendingTask(long id, TaskKind kind, int rtype, byte[] bytes, ClassLoader loader, Promise<Object> promise) {
}
