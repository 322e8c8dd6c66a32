package io.antpool.server.impl;

import io.antpool.protocol.Fetch;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Welcome;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client sessions across connections: a session outlives a dropped connection for the grace period
 * ({@code clientGraceMillis}), so a client that comes back resumes it with its tasks and the results produced
 * meanwhile; a session not resumed in time ends, which drops its queued tasks and interrupts its running ones.
 * Touched only on the scheduler's event loop.
 */
final class ClientSessions {
  private static final Logger log = LoggerFactory.getLogger(ClientSessions.class);

  private final Vertx vertx;
  private final Scheduler scheduler;
  private final FetchBroker fetches;
  private final long graceMillis;
  private final int maxFrameBytes;

  /** A client's session on its new connection: what to welcome it with, then the frames held for it. */
  record Opened(ClientSession session, Welcome welcome, List<Frame> held) {
  }

  ClientSessions(Vertx vertx, Scheduler scheduler, FetchBroker fetches, long graceMillis, int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
    this.vertx = vertx;
    this.scheduler = scheduler;
    this.fetches = fetches;
    this.graceMillis = graceMillis;
  }

  /**
   * A client said hello on connection {@code owner}: resumes the session it names if the server still holds
   * it, else starts a new one. {@code onReplaced} is called should the client later resume on another
   * connection while this one still seems open.
   */
  Opened open(Hello hello, String remoteIp, Object owner, FrameSink connection, Runnable onReplaced) {
    Hello.Resume resume = hello.resume();
    ClientSession old = resume == null ? null : scheduler.client(resume.sessionId());
    if (old == null) {
      ClientSession session = new ClientSession("c-" + UUID.randomUUID(), hello.peer(), remoteIp,
          new SessionLink(owner, connection, onReplaced));
      scheduler.addClient(session);
      if (resume == null) {
        log.info("client {} ({}) connected from {}", session.id, hello.peer().name(), remoteIp);
      } else {
        log.info("client {} ({}) came back from {} for session {}, which had ended (after the {} ms grace period,"
            + " or a server restart): its {} awaited tasks will be submitted again", session.id,
            hello.peer().name(), remoteIp, resume.sessionId(), graceMillis, resume.awaiting().size());
      }
      return new Opened(session, new Welcome(session.id, Protocol.VERSION, Protocol.ANTPOOL_VERSION, maxFrameBytes),
          List.of());
    }
    if (old.graceTimer >= 0) {
      vertx.cancelTimer(old.graceTimer);
      old.graceTimer = -1;
    }
    Set<Long> heldResults = new HashSet<>();
    old.sink.collectHeldResults(heldResults);
    List<Long> resend = scheduler.resume(old, resume.awaiting(), heldResults);
    List<Frame> frames = new ArrayList<>();
    for (Frame f : old.sink.attach(owner, connection, onReplaced)) {
      if (!(f.header() instanceof Fetch)) {
        frames.add(f);
      }
    }
    int results = frames.size();
    // every fetch still unanswered, also those sent on the old connection, which may have been lost with it
    frames.addAll(fetches.pendingFor(old.id));
    log.info("client {} ({}) resumed from {}: {} result(s) held for it, {} class fetch(es) asked again, {} task(s)"
        + " to submit again", old.id, hello.peer().name(), remoteIp, results, frames.size() - results,
        resend.size());
    return new Opened(old, new Welcome(old.id, Protocol.VERSION, Protocol.ANTPOOL_VERSION, maxFrameBytes, resend),
        frames);
  }

  /** The connection {@code owner} of {@code session} closed: the grace period starts, unless it had moved on. */
  void dropped(ClientSession session, Object owner) {
    if (!session.sink.detach(owner)) {
      return;
    }
    if (graceMillis == 0) {
      end(session);
      return;
    }
    log.info("client {} ({}) disconnected; its session is kept {} ms for it to come back", session.id,
        session.peer.name(), graceMillis);
    session.graceTimer = vertx.setTimer(graceMillis, t -> {
      session.graceTimer = -1;
      if (!session.sink.attached()) {
        log.info("client {} ({}) did not come back within {} ms: its session ends", session.id,
            session.peer.name(), graceMillis);
        end(session);
      }
    });
  }

  /** The client of {@code session} closed its connection {@code owner} on purpose: its session ends now. */
  void left(ClientSession session, Object owner) {
    if (session.sink.detach(owner)) {
      end(session);
    }
  }

  private void end(ClientSession session) {
    scheduler.removeClient(session);
    fetches.sessionGone(session.id);
  }
}
