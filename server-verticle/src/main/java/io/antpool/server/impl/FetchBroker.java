package io.antpool.server.impl;

import io.antpool.protocol.Fetch;
import io.antpool.protocol.FetchReply;
import io.antpool.protocol.Frame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Routes a worker's request for a class or resource to the client session that submitted the task, and the
 * answer back. The server never looks inside the bytes. Every request is answered exactly once: with the
 * client's reply, or with {@code found=false} and an error when the client is gone or too slow.
 */
final class FetchBroker {
  private final Vertx vertx;
  private final ServerStats stats;
  private final Scheduler scheduler;
  private final long timeoutMillis;
  private final Map<Long, Pending> pending = new HashMap<>();
  private long nextId = 1;

  /** A fetch forwarded to a client session, as sent, waiting for the answer. */
  private record Pending(String session, Frame forwarded, Promise<Frame> promise, long timer) {
  }

  FetchBroker(Vertx vertx, Scheduler scheduler, long timeoutMillis, ServerStats stats) {
    this.stats = stats;
    this.vertx = vertx;
    this.scheduler = scheduler;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Forwards a worker's fetch to the client session and completes with the client's reply, labelled with the
   * worker's request id; never fails (a gone or silent client is answered as not found, with the reason).
   */
  Future<Frame> fetch(Fetch request) {
    stats.fetches++;
    String session = request.session();
    ClientSession client = scheduler.client(session);
    if (client == null) {
      return Future.succeededFuture(Frame.of(new FetchReply(request.requestId(), false, "client session "
          + session + " has ended (its client left and did not come back), so its classes cannot be fetched")));
    }
    long id = nextId++;
    Promise<Frame> promise = Promise.promise();
    long timer = vertx.setTimer(timeoutMillis, t -> answer(id, Frame.of(new FetchReply(id, false,
        "client session " + session + " did not answer for " + request.path() + " within " + timeoutMillis
            + " ms"))));
    Frame forwarded = Frame.of(new Fetch(id, session, request.path(), request.loader(), request.known()));
    pending.put(id, new Pending(session, forwarded, promise, timer));
    client.sink.send(forwarded);
    return promise.future().map(reply -> {
      FetchReply r = (FetchReply) reply.header();
      if (r.bytesOmitted(reply.payload())) {
        stats.classCacheHits++;
      } else if (r.found()) {
        stats.classTransfers++;
        stats.classBytes += reply.payload().length();
      }
      return new Frame(new FetchReply(request.requestId(), r.found(), r.error(), r.sha256()), reply.payload());
    });
  }

  /** A client answered; replies from a session other than the one asked are ignored. */
  void onReply(ClientSession from, FetchReply reply, Buffer payload) {
    Pending p = pending.get(reply.requestId());
    if (p != null && p.session.equals(from.id)) {
      answer(reply.requestId(), new Frame(reply, payload));
    }
  }

  /** The fetches forwarded to {@code session} and not answered yet, oldest first, to ask again on resume. */
  List<Frame> pendingFor(String session) {
    List<Frame> frames = new ArrayList<>();
    for (Map.Entry<Long, Pending> e : new TreeMap<>(pending).entrySet()) {
      if (e.getValue().session.equals(session)) {
        frames.add(e.getValue().forwarded);
      }
    }
    return frames;
  }

  /** A client session ended: every request waiting on it is answered as not found, with the reason. */
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
