package io.antpool.server.impl;

import io.antpool.protocol.Fetch;
import io.antpool.protocol.FetchReply;
import io.antpool.protocol.Frame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Routes a worker's request for a class or resource to the client session that submitted the task, and the
 * answer back. The server never looks inside the bytes. Every request is answered exactly once: with the
 * client's reply, or with {@code found=false} and an error when the client is gone or too slow.
 */
final class FetchBroker {
  private final Vertx vertx;
  private final Scheduler scheduler;
  private final long timeoutMillis;
  private final Map<Long, Pending> pending = new HashMap<>();
  private long nextId = 1;

  private record Pending(String session, Promise<Frame> promise, long timer) {
  }

  FetchBroker(Vertx vertx, Scheduler scheduler, long timeoutMillis) {
    this.vertx = vertx;
    this.scheduler = scheduler;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Asks the client session for {@code path}. The returned frame carries a {@link FetchReply} whose request
   * id the caller replaces with its own; it never fails.
   */
  Future<Frame> fetch(String session, String path) {
    ClientSession client = scheduler.client(session);
    if (client == null) {
      return Future.succeededFuture(Frame.of(new FetchReply(0, false, "client session " + session
          + " is no longer connected, so its classes cannot be fetched")));
    }
    long id = nextId++;
    Promise<Frame> promise = Promise.promise();
    long timer = vertx.setTimer(timeoutMillis, t -> answer(id, Frame.of(new FetchReply(id, false,
        "client session " + session + " did not answer for " + path + " within " + timeoutMillis + " ms"))));
    pending.put(id, new Pending(session, promise, timer));
    client.sink.send(Frame.of(new Fetch(id, session, path)));
    return promise.future();
  }

  /** A client answered; replies from a session other than the one asked are ignored. */
  void onReply(ClientSession from, FetchReply reply, Buffer payload) {
    Pending p = pending.get(reply.requestId());
    if (p != null && p.session.equals(from.id)) {
      answer(reply.requestId(), new Frame(reply, payload));
    }
  }

  /** A client left: every request waiting on it is answered as not found, with the reason. */
  void sessionGone(String session) {
    for (Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Pending> e = it.next();
      if (e.getValue().session.equals(session)) {
        it.remove();
        vertx.cancelTimer(e.getValue().timer);
        e.getValue().promise.complete(Frame.of(new FetchReply(e.getKey(), false, "client session " + session
            + " disconnected before sending the class")));
      }
    }
  }

  private void answer(long id, Frame frame) {
    Pending p = pending.remove(id);
    if (p != null) {
      vertx.cancelTimer(p.timer);
      p.promise.complete(frame);
    }
  }
}
