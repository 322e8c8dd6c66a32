package io.antpool.client.impl;

import io.antpool.protocol.BroadcastScope;
import io.antpool.protocol.TaskKind;
import io.vertx.core.Promise;
import java.util.Map;

/**
 * A task the client holds until its result arrives: its bytes (to resubmit after a reconnect), its class loader
 * and that loader's number in the {@link ClassServer}, its routing, and its promise. A broadcast
 * ({@code broadcast} not null) gathers its results in {@code parts}.
 */
record PendingTask(long id, TaskKind kind, int rtype, long timeoutMillis, byte[] bytes, ClassLoader loader,
    int loaderId, Map<String, String> requires, boolean spread, BroadcastScope broadcast, BroadcastParts parts,
    Promise<Object> promise) {
}
