package io.antpool.server.impl;

import io.antpool.protocol.Cancel;
import io.antpool.protocol.Recalled;
import io.antpool.protocol.CloseCodes;
import io.antpool.protocol.Drain;
import io.antpool.protocol.Withdraw;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Fetch;
import io.antpool.protocol.FetchReply;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Message;
import io.antpool.protocol.Progress;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.ProtocolException;
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.antpool.protocol.Submit;
import io.antpool.protocol.Welcome;
import io.antpool.protocol.impl.FrameBatch;
import io.antpool.protocol.impl.Heartbeat;
import io.antpool.protocol.impl.MessageAssembler;
import io.antpool.server.ServerOptions;
import io.antpool.server.impl.auth.Gatekeeper;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code antpool.v2} WebSocket. States:
 *
 * <pre>
 *   AWAITING_HELLO ──hello──▶ CHECKING ──credential refused──▶ error reply, close 4010 ──▶ CLOSED
 *         │                      ├──(client)──▶ CLIENT ──close──▶ CLOSED (the session waits for the client to resume)
 *         │                      │                └──client resumed on another connection──▶ CLOSED (replaced)
 *         │                      └──(worker)──▶ WORKER ──close──▶ CLOSED
 *         ├──bad first frame──▶ error reply, close 1002 ──▶ CLOSED
 *         └──no hello within helloTimeoutMillis──▶ error reply, close 4001 ──▶ CLOSED
 * </pre>
 *
 * <p>Bad input, and what it gets (docs/protocol.md, "Bad input"): before the hello, anything wrong closes the
 * connection after an error reply; after it, a frame that cannot be decoded, a text frame, a message the
 * peer's role may not send, a second hello, a result or progress for a task the worker slot does not hold, or
 * progress with figures out of range gets a typed
 * {@link ErrorReply} and the connection stays open. Whatever the input, it reaches this connection's state
 * only: other sessions never see it. A message larger than {@code maxFrameBytes} is not buffered: the
 * connection closes with 1009. A peer that does not read is paused and closed by its {@link Outbox}. Each
 * kind of error is logged once per connection (at debug after that), so a peer cannot flood the log.
 *
 * <p>A worker connection is one more slot to the scheduler, which writes the slot's frames (dispatch, cancel,
 * recall) straight to this connection's {@link Outbox}; its slot address is only a name, with no consumer on the
 * event bus.
 */
final class PeerConnection {
  private static final Logger log = LoggerFactory.getLogger(PeerConnection.class);

  /** How long a close handshake the server starts may take before the TCP connection is closed regardless. */
  private static final long CLOSE_HANDSHAKE_MILLIS = 1_000;

  enum State { AWAITING_HELLO, CHECKING, CLIENT, WORKER, CLOSED }

  private final ServerWebSocket ws;
  private final ServerContext server;
  private final String remoteIp;
  private final OnceLog logged = new OnceLog();
  private State state = State.AWAITING_HELLO;
  private ClientSession client;
  private String slotAddress;
  /** This worker connection's sender of session ends, registered with {@link SessionEndFanout} while it is one. */
  private Handler<Buffer> sessionEnds;
  private Heartbeat heartbeat;
  private Outbox outbox;
  private long helloTimer;

  PeerConnection(ServerWebSocket ws, ServerContext server) {
    this.ws = ws;
    this.server = server;
    this.remoteIp = ws.remoteAddress() == null ? "?" : ws.remoteAddress().hostAddress();
  }

  /** Serves the connection; {@code closed} runs once when it has closed. */
  void start(Runnable closed) {
    ServerOptions options = server.options();
    // The server pings a peer only after half its timeout of quiet, its peers after a quarter of theirs: an idle
    // worker or client pings the server first, and the server, which hears every frame, pings hardly anyone
    long timeout = options.getPeerTimeoutMillis();
    heartbeat = Heartbeat.start(server.vertx(), ws, timeout, timeout / 2, this::onSilence);
    outbox = new Outbox(server.vertx(), ws, options.getWriteStallTimeoutMillis(), this::onStalled, server.stats());
    helloTimer = server.vertx().setTimer(options.getHelloTimeoutMillis(), t -> onNoHello());
    MessageAssembler messages = new MessageAssembler(options.getMaxFrameBytes(), new MessageAssembler.Sink() {
      @Override
      public void binary(Buffer message) {
        onBinary(message);
      }

      @Override
      public void text(long bytes) {
        reject(new ProtocolException(ErrorCode.BAD_FRAME, "text frames are not part of " + Protocol.SUBPROTOCOL
            + "; send binary frames (a legacy v1 peer connects without the subprotocol)"));
      }

      @Override
      public void tooBig(long bytes, Buffer head) {
        onTooBig(bytes);
      }
    });
    // every frame is heard, pings too: a worker or client that pings the server on its own schedule is not pinged
    ws.frameHandler(heartbeat.hearingFrames(messages::onFrame));
    ws.closeHandler(v -> {
      onClose(CloseCodes.isGoodbye(ws.closeStatusCode()));
      closed.run();
    });
    ws.exceptionHandler(this::onSocketError);
  }

  /** Nothing from the peer for the timeout: its process, machine or network is gone, or it does not read. */
  private void onSilence() {
    if (outbox.stalled()) {
      onStalled(); // it never read our pings, so it never answered them
      return;
    }
    log.warn("{} at {} sent nothing, not even a pong, for {} ms: closing its connection as dead", who(), remoteIp,
        server.options().getPeerTimeoutMillis());
    closeWith(CloseCodes.SILENT, "no answer to pings within " + server.options().getPeerTimeoutMillis() + " ms");
  }

  private void onNoHello() {
    if (state != State.AWAITING_HELLO) {
      return;
    }
    refuse(new ProtocolException(ErrorCode.BAD_HELLO, "no hello within " + server.options().getHelloTimeoutMillis()
        + " ms of connecting; an AntPool peer sends its hello first (see docs/protocol.md)"), CloseCodes.NO_HELLO);
  }

  private void onStalled() {
    if (state == State.CLOSED) {
      return;
    }
    log.warn("{} at {} has not read what the server sent it for {} ms (its write queue is full): closing its"
        + " connection", who(), remoteIp, outbox.stalledMillis());
    closeWith(CloseCodes.NOT_READING, "not reading: write queue full for " + outbox.stalledMillis() + " ms");
  }

  private void onTooBig(long bytes) {
    int limit = server.options().getMaxFrameBytes();
    ProtocolException e = new ProtocolException(ErrorCode.BAD_FRAME, "a message of at least " + bytes
        + " bytes exceeds this server's limit of " + limit + " bytes; send smaller tasks and results, or raise"
        + " maxFrameBytes in the server's configuration");
    log.warn("{} at {}: {}; closing its connection", who(), remoteIp, e.getMessage());
    send(Frame.of(e.toReply(null)));
    closeWith(CloseCodes.TOO_BIG, "message exceeds maxFrameBytes " + limit);
  }

  private void onSocketError(Throwable e) {
    if (e instanceof CorruptedWebSocketFrameException && logged.first(e.getClass())) {
      // Netty closes the connection itself, with 1002 or 1009 (a single frame over 1 MiB) and this reason
      log.warn("{} at {} broke the WebSocket framing: {}", who(), remoteIp, e.getMessage());
    } else {
      log.debug("socket error from {}: {}", remoteIp, e.toString());
    }
  }

  /**
   * A message from the peer: one frame, or a {@link FrameBatch} whose frames are handled one by one, in order, as
   * if each had come alone; a malformed batch is refused whole, as a frame that cannot be decoded. (The heartbeat
   * has heard every WebSocket frame of it already.)
   */
  private void onBinary(Buffer message) {
    server.stats().bytesIn += message.length();
    FrameBatch.unwrap(message, this::onFrame, this::reject);
  }

  private void onFrame(Buffer wire) {
    Frame frame;
    try {
      frame = Frame.decode(wire);
    } catch (ProtocolException e) {
      reject(e);
      return;
    }
    Message m = frame.header();
    switch (state) {
      case AWAITING_HELLO -> onHello(m);
      case CHECKING -> send(Frame.of(new ErrorReply(ErrorCode.BAD_HELLO, "the server is still checking this"
          + " connection's hello; wait for its welcome before sending anything else", null)));
      case CLIENT -> onClientMessage(m, frame.payload());
      case WORKER -> onWorkerMessage(m, frame.payload());
      case CLOSED -> { }
    }
  }

  private void onHello(Message m) {
    if (!(m instanceof Hello hello) || hello.role() == null || hello.peer() == null) {
      refuse(new ProtocolException(ErrorCode.BAD_HELLO, "the first frame must be a hello with a role and peer"
          + " info; got " + m.getClass().getSimpleName()), CloseCodes.PROTOCOL_ERROR);
      return;
    }
    if (hello.protocolVersion() != Protocol.VERSION) {
      refuse(new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "this server speaks AntPool protocol "
          + Protocol.VERSION + " but the peer speaks " + hello.protocolVersion()
          + "; run the same AntPool version on both sides"), CloseCodes.PROTOCOL_ERROR);
      return;
    }
    server.vertx().cancelTimer(helloTimer);
    state = State.CHECKING;
    String what = hello.role() == Role.CLIENT ? "connect as a client" : "connect as a worker";
    server.gate().admit(remoteIp, Gatekeeper.needed(hello.role()), hello.user(), hello.token(), what)
        .onComplete(ar -> {
          if (state != State.CHECKING) {
            return; // closed while its credential was checked
          }
          if (ar.succeeded()) {
            admit(hello);
          } else if (ar.cause() instanceof ProtocolException refused) {
            refuseCredential(refused);
          } else {
            refuse(new ProtocolException(ErrorCode.INTERNAL, "the server could not check the credential: "
                + ar.cause()), CloseCodes.NOT_AUTHORIZED);
          }
        });
  }

  /**
   * A refused credential: the peer is told why and closed with 4010. Not logged here: the gatekeeper logs failed
   * logins once per address and minute, so a peer guessing cannot flood the log.
   */
  private void refuseCredential(ProtocolException e) {
    server.stats().protocolErrors++;
    outbox.write(Frame.of(e.toReply(null)).encode());
    closeWith(CloseCodes.NOT_AUTHORIZED, e.code().name());
  }

  private void admit(Hello hello) {
    if (hello.role() == Role.CLIENT) {
      state = State.CLIENT;
      ClientSessions.Opened opened = server.sessions().open(hello, remoteIp, this, this::send, this::replaced);
      client = opened.session();
      send(Frame.of(opened.welcome()));
      opened.held().forEach(this::send);
    } else {
      String sessionId = "w-" + UUID.randomUUID();
      state = State.WORKER;
      slotAddress = Protocol.BUS_SLOT_PREFIX + sessionId;
      // The slot's name in the scheduler; no consumer listens there: the scheduler writes this slot's frames
      // straight to the outbox, on this same event loop (an event-bus hop per frame cost a tenth of the server's
      // time per task, in its delivery and its metrics).
      sessionEnds = outbox::write;
      server.sessionEnds().add(sessionEnds);
      send(Frame.of(new Welcome(sessionId, Protocol.VERSION, Protocol.ANTPOOL_VERSION,
          server.options().getMaxFrameBytes())));
      server.scheduler().addSlot(slotAddress, hello.peer(), remoteIp, WorkerKind.WEBSOCKET, outbox::write);
    }
  }

  private void onClientMessage(Message m, Buffer payload) {
    if (m instanceof Submit submit) {
      server.scheduler().submit(client, submit, payload);
    } else if (m instanceof Cancel cancel) {
      server.scheduler().cancel(client, cancel);
    } else if (m instanceof Withdraw) {
      server.scheduler().withdraw(client);
    } else if (m instanceof FetchReply reply) {
      server.fetches().onReply(client, reply, payload);
    } else {
      onOtherMessage(m, "a client");
    }
  }

  private void onWorkerMessage(Message m, Buffer payload) {
    if (m instanceof Result result) {
      onResult(result, payload);
    } else if (m instanceof Progress progress) {
      onProgress(progress);
    } else if (m instanceof Recalled answer) {
      server.scheduler().onRecalled(slotAddress, answer); // a stale answer (the task ended) is ignored
    } else if (m instanceof Drain) {
      server.scheduler().drainSlot(slotAddress);
    } else if (m instanceof Fetch fetch) {
      server.fetches().fetch(fetch).onSuccess(this::send);
    } else {
      onOtherMessage(m, "a worker");
    }
  }

  private void onResult(Result result, Buffer payload) {
    if (result.status() == null) {
      send(Frame.of(new ErrorReply(ErrorCode.BAD_FRAME, "result for task " + result.taskId() + " has no status;"
          + " send VALUE, ERROR or LOST", result.taskId())));
    } else if (!server.scheduler().onResult(slotAddress, result, payload)) {
      send(Frame.of(new ErrorReply(ErrorCode.UNKNOWN_TASK, "task " + result.taskId() + " is not running on this"
          + " worker slot; a worker sends a result only for the task dispatched to it", result.taskId())));
    }
  }

  private void onProgress(Progress progress) {
    String problem = progress.problem();
    if (problem != null) {
      send(Frame.of(new ErrorReply(ErrorCode.BAD_FRAME, "progress of task " + progress.taskId() + ": " + problem,
          progress.taskId())));
    } else if (!server.scheduler().onProgress(slotAddress, progress.taskId(), progress.value())) {
      send(Frame.of(new ErrorReply(ErrorCode.UNKNOWN_TASK, "task " + progress.taskId() + " is not running on this"
          + " worker slot; a worker reports progress only for the task dispatched to it, and none after its result",
          progress.taskId())));
    }
  }

  /** A message this peer's role does not send: a second hello, an error report, or another role's message. */
  private void onOtherMessage(Message m, String role) {
    if (m instanceof Hello) {
      send(Frame.of(new ErrorReply(ErrorCode.BAD_HELLO, "this connection already said hello; a peer says hello"
          + " once, as its first frame", null)));
    } else if (m instanceof ErrorReply e) {
      // Nobody answers an error (two peers must not trade errors forever): it is only logged.
      if (logged.first("error from peer")) {
        log.warn("{} at {} reported {}: {}", who(), remoteIp, e.code(), e.message());
      }
    } else {
      send(Frame.of(new ErrorReply(ErrorCode.WRONG_ROLE, m.getClass().getSimpleName() + " is not a message "
          + role + " may send; see docs/protocol.md", null)));
    }
  }

  /** Bad input: before the hello it ends the connection; after it, the peer is told and may go on. */
  private void reject(ProtocolException e) {
    if (state == State.AWAITING_HELLO) {
      refuse(e, CloseCodes.PROTOCOL_ERROR);
    } else {
      send(Frame.of(e.toReply(null)));
    }
  }

  /** Tells the peer why (the error reply, logged as any) and closes its connection with {@code code}. */
  private void refuse(ProtocolException e, short code) {
    send(Frame.of(e.toReply(null)));
    closeWith(code, e.code().name() + ": " + e.getMessage());
  }

  private void closeWith(short code, String reason) {
    if (state == State.CLOSED) {
      return;
    }
    server.stats().peersClosed++;
    server.events().peerFault(who(), remoteIp, "closed with " + code + ": " + reason);
    outbox.flush(); // what was written before the close goes before it: the error reply saying why, first of all
    onClose(false);
    // not close(): its close frame would queue behind what a peer that does not read never takes, and the
    // connection would stay open; shutdown closes the TCP connection when the handshake has not ended in time
    ws.shutdown(CLOSE_HANDSHAKE_MILLIS, TimeUnit.MILLISECONDS, code, CloseCodes.fit(reason));
  }

  /** Every frame to the peer goes here; each error it carries is counted, and logged once per kind. */
  private void send(Frame frame) {
    if (state == State.CLOSED) {
      return;
    }
    if (frame.header() instanceof ErrorReply e) {
      server.stats().protocolErrors++;
      if (logged.first(e.code())) {
        server.events().peerFault(who(), remoteIp, e.code() + " " + e.message());
        log.warn("{} at {}: {} {} (further {} errors on this connection are logged at debug)", who(), remoteIp,
            e.code(), e.message(), e.code());
      } else {
        log.debug("{} at {}: {} {}", who(), remoteIp, e.code(), e.message());
      }
    }
    outbox.write(frame.encode());
  }

  private String who() {
    return switch (state) {
      case WORKER -> "worker " + slotAddress;
      case CLIENT -> "client " + client.id;
      default -> "a peer";
    };
  }

  /** The client resumed its session on another connection while this one still seemed open. */
  private void replaced() {
    heartbeat.stop();
    outbox.flush();
    outbox.stop();
    state = State.CLOSED;
    log.info("client {}: closing its old connection from {}, replaced by the one it resumed on", client.id, remoteIp);
    ws.shutdown(CLOSE_HANDSHAKE_MILLIS, TimeUnit.MILLISECONDS, CloseCodes.REPLACED,
        "the client resumed its session on another connection");
  }

  /** The connection is gone, or the server closes it; {@code goodbye}: the peer closed it on purpose. */
  private void onClose(boolean goodbye) {
    heartbeat.stop();
    outbox.stop();
    server.vertx().cancelTimer(helloTimer);
    State was = state;
    state = State.CLOSED;
    if (was == State.CLIENT) {
      if (goodbye) {
        server.sessions().left(client, this); // a client closed by its program: no grace period to wait
      } else {
        server.sessions().dropped(client, this);
      }
    } else if (was == State.WORKER) {
      server.sessionEnds().remove(sessionEnds);
      server.scheduler().removeSlot(slotAddress, "its connection closed");
    }
  }
}
