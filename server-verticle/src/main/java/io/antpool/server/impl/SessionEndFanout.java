package io.antpool.server.impl;

import io.antpool.protocol.Protocol;
import io.antpool.protocol.SessionEnded;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Hands each {@link SessionEnded} the scheduler publishes on {@link Protocol#BUS_SESSION_ENDED} to every worker
 * connected over a WebSocket, through one server-wide local consumer. (Workers in the cluster receive it from the
 * bus directly.)
 *
 * <p>Why not a consumer per connection: Vert.x keeps the handlers of one address in a copy-on-write list, so with
 * thousands of workers each join and each leave copied the whole list, and each publish was delivered (and its
 * body copied) once per worker through the bus. Here a connection joins and leaves in constant time, and a
 * publish is one delivery that writes the same frame to every connection.
 *
 * <p>Confined to the server verticle's context: {@link #start}, {@link #add}, {@link #remove} and the deliveries
 * all run there.
 */
final class SessionEndFanout {
  private final EventBus bus;
  /** The worker connections' senders, in order of arrival. */
  private final Set<Handler<Buffer>> workers = new LinkedHashSet<>();
  private MessageConsumer<Buffer> consumer;

  SessionEndFanout(EventBus bus) {
    this.bus = bus;
  }

  /** Registers the one consumer; completes when it is in place, before any worker may connect. */
  Future<Void> start() {
    consumer = bus.localConsumer(Protocol.BUS_SESSION_ENDED, message -> {
      // a copy: a write to a connection that just failed may close it, and its close handler removes it
      for (Handler<Buffer> worker : List.copyOf(workers)) {
        worker.handle(message.body());
      }
    });
    return consumer.completion();
  }

  /** {@code send} (a worker connection's write to its socket) gets every session's end from now on. */
  void add(Handler<Buffer> send) {
    workers.add(send);
  }

  /** {@code send}, as given to {@link #add}, gets no more. */
  void remove(Handler<Buffer> send) {
    workers.remove(send);
  }

  /** How many worker connections it holds. */
  int size() {
    return workers.size();
  }

  Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
