package io.antpool.server.impl;

import io.antpool.server.ServerOptions;
import io.antpool.server.impl.auth.Gatekeeper;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

/** The server's parts, as the connection handlers see them. */
record ServerContext(Vertx vertx, EventBus bus, Scheduler scheduler, FetchBroker fetches, ClientSessions sessions,
    ServerStats stats, PoolListener events, ServerOptions options, Gatekeeper gate, SessionEndFanout sessionEnds) {
}
