package io.antpool.server.impl;

import io.antpool.protocol.Cancel;
import io.antpool.protocol.Drain;
import io.antpool.protocol.Withdraw;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Fetch;
import io.antpool.protocol.FetchReply;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Message;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.ProtocolException;
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.antpool.protocol.Submit;
import io.antpool.protocol.Welcome;
import io.antpool.protocol.impl.Heartbeat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code antpool.v2} WebSocket. States:
 *
 * <pre>
 *   AWAITING_HELLO ──hello(client)──▶ CLIENT ──close──▶ CLOSED (the session waits for the client to resume)
 *         │                             └──client resumed on another connection──▶ CLOSED (replaced)
 *         │        ──hello(worker)──▶ WORKER ──close──▶ CLOSED
 *         └──bad hello──▶ error reply, close ──▶ CLOSED
 * </pre>
 *
 * A worker connection is bridged onto the event bus: it owns a local consumer at its slot address that
 * forwards dispatches (and cancels) to the socket, so to the scheduler it is one more slot address.
 */
final class PeerConnection {
  private static final Logger log = LoggerFactory.getLogger(PeerConnection.class);

  enum State { AWAITING_HELLO, CLIENT, WORKER, CLOSED }

  private final ServerWebSocket ws;
  private final ServerContext server;
  private final String remoteIp;
  private State state = State.AWAITING_HELLO;
  private ClientSession client;
  private String slotAddress;
  private MessageConsumer<Buffer> slotConsumer;
  private MessageConsumer<Buffer> sessionsEnded;
  private Heartbeat heartbeat;

  PeerConnection(ServerWebSocket ws, ServerContext server) {
    this.ws = ws;
    this.server = server;
    this.remoteIp = ws.remoteAddress() == null ? "?" : ws.remoteAddress().hostAddress();
  }

  void start() {
    heartbeat = Heartbeat.start(server.vertx(), ws, server.peerTimeoutMillis(), this::onSilence);
    ws.binaryMessageHandler(this::onBinary);
    ws.textMessageHandler(text -> refuse(new ProtocolException(ErrorCode.BAD_FRAME,
        "text frames are not part of " + Protocol.SUBPROTOCOL + "; send binary frames")));
    ws.closeHandler(v -> onClose());
    ws.exceptionHandler(e -> log.debug("socket error from {}: {}", remoteIp, e.toString()));
  }

  /** Nothing from the peer for the timeout: its process, machine or network is gone. */
  private void onSilence() {
    log.warn("{} at {} sent nothing, not even a pong, for {} ms: closing its connection as dead",
        state == State.WORKER ? "worker " + slotAddress : state == State.CLIENT ? "client " + client.id : "a peer",
        remoteIp, server.peerTimeoutMillis());
    onClose();
    ws.close((short) 4000, "no answer to pings within " + server.peerTimeoutMillis() + " ms");
  }

  private void onBinary(Buffer wire) {
    heartbeat.heard();
    Frame frame;
    try {
      frame = Frame.decode(wire);
    } catch (ProtocolException e) {
      refuse(e);
      return;
    }
    Message m = frame.header();
    switch (state) {
      case AWAITING_HELLO -> onHello(m);
      case CLIENT -> onClientMessage(m, frame.payload());
      case WORKER -> onWorkerMessage(m, frame.payload());
      case CLOSED -> { }
    }
  }

  private void onHello(Message m) {
    if (!(m instanceof Hello hello) || hello.role() == null || hello.peer() == null) {
      refuse(new ProtocolException(ErrorCode.BAD_HELLO, "the first frame must be a hello with a role and peer"
          + " info; got " + m.getClass().getSimpleName()));
      return;
    }
    if (hello.protocolVersion() != Protocol.VERSION) {
      refuse(new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "this server speaks AntPool protocol "
          + Protocol.VERSION + " but the peer speaks " + hello.protocolVersion()
          + "; run the same AntPool version on both sides"));
      return;
    }
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
      // The bridge: a dispatch sent to this slot's address goes down the socket; the write's completion is
      // the acknowledgement the scheduler waits for.
      slotConsumer = server.bus().<Buffer>localConsumer(slotAddress, msg ->
          ws.writeBinaryMessage(msg.body()).onComplete(ar -> {
            if (ar.succeeded()) {
              msg.reply(Buffer.buffer(0));
            } else {
              msg.fail(1, "socket write failed: " + ar.cause().getMessage());
            }
          }));
      sessionsEnded = server.bus().<Buffer>localConsumer(Protocol.BUS_SESSION_ENDED,
          msg -> ws.writeBinaryMessage(msg.body()));
      slotConsumer.completion().onComplete(ar -> {
        if (state == State.WORKER) {
          send(Frame.of(new Welcome(sessionId, Protocol.VERSION, Protocol.ANTPOOL_VERSION)));
          server.scheduler().addSlot(slotAddress, hello.peer(), remoteIp, WorkerKind.WEBSOCKET);
        }
      });
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
      send(Frame.of(wrongRole(m, "a client")));
    }
  }

  private void onWorkerMessage(Message m, Buffer payload) {
    if (m instanceof Result result) {
      server.scheduler().onResult(slotAddress, result, payload);
    } else if (m instanceof Drain) {
      server.scheduler().drainSlot(slotAddress);
    } else if (m instanceof Fetch fetch) {
      server.fetches().fetch(fetch).onSuccess(this::send);
    } else {
      send(Frame.of(wrongRole(m, "a worker")));
    }
  }

  private static ErrorReply wrongRole(Message m, String role) {
    return new ErrorReply(ErrorCode.WRONG_ROLE, m.getClass().getSimpleName() + " is not a message " + role
        + " may send; see docs/protocol.md", null);
  }

  private void refuse(ProtocolException e) {
    log.warn("refusing peer at {}: {}", remoteIp, e.getMessage());
    send(Frame.of(e.toReply(null)));
    ws.close((short) 1002, e.code().name());
  }

  private void send(Frame frame) {
    if (state != State.CLOSED) {
      ws.writeBinaryMessage(frame.encode());
    }
  }

  /** The client resumed its session on another connection while this one still seemed open. */
  private void replaced() {
    heartbeat.stop();
    state = State.CLOSED;
    log.info("client {}: closing its old connection from {}, replaced by the one it resumed on", client.id, remoteIp);
    ws.close((short) 4001, "the client resumed its session on another connection");
  }

  private void onClose() {
    heartbeat.stop();
    State was = state;
    state = State.CLOSED;
    if (was == State.CLIENT) {
      server.sessions().dropped(client, this);
    } else if (was == State.WORKER) {
      slotConsumer.unregister();
      sessionsEnded.unregister();
      server.scheduler().removeSlot(slotAddress, "its connection closed");
    }
  }
}
