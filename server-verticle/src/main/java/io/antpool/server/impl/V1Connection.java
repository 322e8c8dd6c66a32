package io.antpool.server.impl;

import io.antpool.protocol.CloseCodes;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Frame;
import io.antpool.protocol.PeerInfo;
import io.antpool.protocol.ProtocolException;
import io.antpool.protocol.Result;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.antpool.server.auth.UserRole;
import io.antpool.server.impl.v1.V1Codec;
import io.antpool.server.impl.v1.V1FormatException;
import io.antpool.server.impl.v1.V1Message;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket of the original Python AntPool protocol (v1, {@code shared/protocol-v1-legacy.md}): a connection
 * to {@code /ws} that asked for no {@code antpool.v2} subprotocol. Its first message says what it is. States:
 *
 * <pre>
 *   AWAITING_FIRST ──LOGIN──▶ TASK_CLIENT ──close──▶ CLOSED (its session ends: v1 clients do not resume)
 *         │        ──REG────▶ RESOURCE_CLIENT ──REMOVE or close──▶ CLOSED (its task, if any, runs again elsewhere)
 *         ├──anything else──▶ refused (ret 30, "Not certified!"), stays AWAITING_FIRST
 *         └──from outside trustedNetworks: LOGIN ──▶ CHECKING ──user/pwd valid──▶ TASK_CLIENT
 *                                                        └──not──▶ ret 30 and close 4010 ──▶ CLOSED
 *                                          REG ──▶ ret 30 and close 4010 ──▶ CLOSED
 *         └──nothing within helloTimeoutMillis──▶ close 4001 ──▶ CLOSED
 * </pre>
 *
 * <p>A task client is a client session of language {@link Language#PYTHON}: its {@code JOB}s are queued and
 * scheduled like Java tasks (fairly among clients, fastest slot first), but only on resource clients. A resource
 * client is a worker slot of kind {@link WorkerKind#PYTHON}, bridged onto the event bus like a v2 worker: its
 * consumer turns each dispatch into a {@code RUN}, and its {@code ROK} into a result.
 *
 * <p>Better than the original where Python clients cannot tell: a task waits in the queue for a free resource
 * client instead of failing with 40 after 6 s, and runs again on another one when its resource client goes away
 * (up to {@code maxAttempts}; then it fails with 99, as before). Replies keep the shapes the Python clients
 * parse; a reply they could not read (over their 10 MiB message limit) is replaced by an error result saying so.
 */
final class V1Connection {
  private static final Logger log = LoggerFactory.getLogger(V1Connection.class);

  /** The Python clients' WebSocket library refuses messages over 10 MiB (their default). */
  static final int PYTHON_MAX_MESSAGE = 10 * 1024 * 1024;
  /** Room for the JSON around a value in a reply. */
  private static final int REPLY_OVERHEAD = 1024;
  /** v1 result codes: a bad call, not logged in, a result or task too large, a run lost with its resource client. */
  static final int BAD_CALL = 20;
  static final int NOT_CERTIFIED = 30;
  /** As the original's "Insufficient resources!": here, the client's queue on the server is full. */
  static final int QUEUE_FULL = 40;
  static final int TOO_LARGE = 50;
  static final int RUN_ERROR = 99;
  /** The ids the server gives v1 task clients ({@code cID}) and resource clients ({@code rID}); never 0. */
  private static final AtomicLong NEXT_ID = new AtomicLong(1);
  private static final long CLOSE_HANDSHAKE_MILLIS = 1_000;

  enum State { AWAITING_FIRST, CHECKING, TASK_CLIENT, RESOURCE_CLIENT, CLOSED }

  private final ServerWebSocket ws;
  private final ServerContext server;
  private final String remoteIp;
  private final OnceLog logged = new OnceLog();
  private State state = State.AWAITING_FIRST;
  private Outbox outbox;
  private long helloTimer = -1;
  // a task client's
  private long clientId;
  private ClientSession client;
  private long nextTaskId = 1;
  /** The stamp (the client's task number) of each open task, by the id it was submitted under. */
  private final Map<Long, String> stamps = new HashMap<>();
  // a resource client's
  private long resourceId;
  private String slotAddress;
  private WorkerSlot slot;
  private MessageConsumer<Buffer> slotConsumer;
  private long pingTimer = -1;
  private boolean pingUnanswered;

  V1Connection(ServerWebSocket ws, ServerContext server) {
    this.ws = ws;
    this.server = server;
    this.remoteIp = ws.remoteAddress() == null ? "?" : ws.remoteAddress().hostAddress();
  }

  /** Serves the connection; {@code closed} runs once when it has closed. */
  void start(Runnable closed) {
    outbox = new Outbox(server.vertx(), ws, server.options().getWriteStallTimeoutMillis(), this::onStalled,
        server.stats());
    helloTimer = server.vertx().setTimer(server.options().getHelloTimeoutMillis(), t -> onNoFirstMessage());
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(b -> {
      server.stats().bytesIn += b.length();
      refuse(null, null, BAD_CALL, "this is the v1 (Python) protocol, which sends text frames; a Java peer asks"
          + " for the antpool.v2 subprotocol");
    });
    ws.closeHandler(v -> {
      onClose();
      closed.run();
    });
    ws.exceptionHandler(e -> log.debug("socket error from v1 peer at {}: {}", remoteIp, e.toString()));
  }

  private String who() {
    return switch (state) {
      case TASK_CLIENT -> "python task client " + clientId;
      case RESOURCE_CLIENT -> "python resource client " + resourceId;
      default -> "a v1 peer";
    };
  }

  private void send(String text) {
    if (state != State.CLOSED) {
      outbox.writeText(text);
    }
  }

  /** A refusal the peer can read: an error reply in the v1 shape, logged once per kind and connection. */
  private void refuse(String command, String stamp, int ret, String reason) {
    server.stats().protocolErrors++;
    if (logged.first(ret + ":" + command)) {
      log.warn("{} at {}: {} (ret {}); further such errors on this connection are logged at debug", who(), remoteIp,
          reason, ret);
      server.events().peerFault(who(), remoteIp, reason);
    } else {
      log.debug("{} at {}: {} (ret {})", who(), remoteIp, reason, ret);
    }
    send(V1Codec.error(command, stamp, ret, reason));
  }

  private void onText(String text) {
    server.stats().bytesIn += text.length();
    V1Message m;
    try {
      m = V1Codec.decode(text);
    } catch (V1FormatException e) {
      refuse(e.command(), e.stamp(), BAD_CALL, "Call parameters do not match! " + e.getMessage());
      return;
    }
    switch (state) {
      case AWAITING_FIRST -> onFirst(m);
      case CHECKING -> refuse(m.command(), m.stamp(), BAD_CALL, "the server is still checking this client's"
          + " LOGIN; wait for its reply");
      case TASK_CLIENT -> onTaskClientMessage(m);
      case RESOURCE_CLIENT -> onResourceClientMessage(m);
      case CLOSED -> { }
    }
  }

  /**
   * The first message. From a trusted network (default loopback) a v1 peer is let in as the original lets it
   * in; from anywhere else a LOGIN must carry a valid user and pwd (the token as pwd in mode token, a user with
   * the role submit in mode users) and a REG is refused: v1 carries no credential a resource client could give.
   */
  private void onFirst(V1Message m) {
    boolean trusted = server.gate().trusted(remoteIp);
    if (m instanceof V1Message.Login login) {
      server.vertx().cancelTimer(helloTimer);
      if (trusted) {
        becomeTaskClient(login);
        return;
      }
      state = State.CHECKING;
      server.gate().admit(remoteIp, UserRole.SUBMIT, login.user(), login.pwd(), "log in as a v1 (Python) client")
          .onComplete(ar -> {
            if (state != State.CHECKING) {
              return;
            }
            if (ar.succeeded()) {
              becomeTaskClient(login);
            } else {
              refuseCredential(login, ar.cause());
            }
          });
    } else if (m instanceof V1Message.Reg reg) {
      server.vertx().cancelTimer(helloTimer);
      if (trusted) {
        becomeResourceClient(reg);
        return;
      }
      server.stats().protocolErrors++;
      send(V1Codec.error(reg.command(), reg.stamp(), NOT_CERTIFIED, "Not certified! v1 (Python) resource clients"
          + " are accepted only from the server's trusted networks (trustedNetworks, default loopback), since v1"
          + " carries no credential for them; run an AntPool Java worker with the token there, or add its network"
          + " to trustedNetworks"));
      closeWith(CloseCodes.NOT_AUTHORIZED, "v1 REG from outside trustedNetworks");
    } else {
      refuse(m.command(), m.stamp(), NOT_CERTIFIED, "Not certified! A v1 task client sends LOGIN first, a resource client"
          + " REG");
    }
  }

  /** A LOGIN whose user and pwd the server refused: the v1 error reply (ret 30), then close 4010. */
  private void refuseCredential(V1Message.Login login, Throwable cause) {
    ErrorCode code = cause instanceof ProtocolException p ? p.code() : ErrorCode.INTERNAL;
    server.stats().protocolErrors++;
    send(V1Codec.error(login.command(), login.stamp(), NOT_CERTIFIED, "Not certified! " + code + ": from outside"
        + " the server's trusted networks a v1 LOGIN needs a valid user and pwd (auth token: the server's token as"
        + " pwd; auth users: a user with the role submit)" + (code == ErrorCode.TOO_MANY_FAILURES
        ? "; too many failed logins from this address, wait a minute" : "")));
    closeWith(CloseCodes.NOT_AUTHORIZED, "v1 LOGIN refused: " + code);
  }

  private void onNoFirstMessage() {
    if (state == State.AWAITING_FIRST) {
      log.info("a v1 peer at {} sent neither LOGIN nor REG within {} ms: closing its connection", remoteIp,
          server.options().getHelloTimeoutMillis());
      closeWith(CloseCodes.NO_HELLO, "no LOGIN or REG within " + server.options().getHelloTimeoutMillis() + " ms");
    }
  }

  // ---- task client ------------------------------------------------------------------------------------

  private void becomeTaskClient(V1Message.Login login) {
    state = State.TASK_CLIENT;
    clientId = NEXT_ID.getAndIncrement();
    PeerInfo peer = new PeerInfo("python-client-" + clientId, remoteIp, remoteIp, "python (v1)", 0, 0, 0, 0, 0,
        "v1");
    client = new ClientSession("c-v1-" + UUID.randomUUID(), peer, remoteIp,
        new SessionLink(this, this::onClientFrame, null));
    client.language = Language.PYTHON;
    server.scheduler().addClient(client);
    log.info("python task client {} ({}) logged in from {} as user {}", clientId, client.id, remoteIp,
        login.user());
    send(V1Codec.login(login.stamp(), clientId));
  }

  private void onTaskClientMessage(V1Message m) {
    if (m instanceof V1Message.Job job) {
      byte[] code = job.code().getBytes(StandardCharsets.UTF_8);
      if (code.length > PYTHON_MAX_MESSAGE - REPLY_OVERHEAD) {
        send(V1Codec.jobResult(job.stamp(), TOO_LARGE, "Task too large: its code is " + code.length
            + " bytes, and a resource client reads messages of at most " + PYTHON_MAX_MESSAGE + " bytes; pass large"
            + " data another way (a shared file or URL) instead of as arguments"));
        return;
      }
      long id = nextTaskId++;
      stamps.put(id, job.stamp());
      server.scheduler().submit(client, new Submit(id, TaskKind.CALLABLE, job.rtype()), Buffer.buffer(code));
    } else if (m instanceof V1Message.Login login) {
      send(V1Codec.login(login.stamp(), clientId)); // logged in already: the same id again
    } else if (m instanceof V1Message.Ping) {
      send("PONG");
    } else {
      refuse(m.command(), m.stamp(), BAD_CALL, "Call parameters do not match! A task client sends JOB (or"
          + " LOGIN); got " + m.command());
    }
  }

  /** What the scheduler sends this client's session: results, turned into JOB replies under their stamps. */
  private void onClientFrame(Frame frame) {
    if (frame.header() instanceof ErrorReply error && error.code() == ErrorCode.QUEUE_FULL && error.taskId() != null) {
      String stamp = stamps.remove(error.taskId());
      if (stamp != null) {
        send(V1Codec.jobResult(stamp, QUEUE_FULL, "Insufficient resources! " + error.message()));
      }
      return;
    }
    if (!(frame.header() instanceof Result result)) {
      log.debug("python task client {}: dropping a {} the v1 protocol has no message for", clientId,
          frame.header().getClass().getSimpleName());
      return;
    }
    String stamp = stamps.remove(result.taskId());
    if (stamp == null) {
      return;
    }
    String retval;
    int ret;
    if (result.status() == Result.Status.LOST) {
      ret = RUN_ERROR;
      retval = "Run error, resource client error! (" + result.errorMessage() + ")";
    } else if (result.status() == Result.Status.ERROR && !PYTHON_ERROR.equals(result.errorClass())) {
      ret = RUN_ERROR;
      retval = "Run error: " + result.errorClass() + ": " + result.errorMessage();
    } else {
      ret = result.status() == Result.Status.VALUE ? 0 : 1;
      retval = frame.payload().toString(StandardCharsets.UTF_8);
    }
    if (retval.length() > PYTHON_MAX_MESSAGE - REPLY_OVERHEAD) {
      ret = TOO_LARGE;
      retval = "Result too large: " + retval.length() + " characters, and a Python client reads messages of at"
          + " most " + PYTHON_MAX_MESSAGE + " bytes; return less (write large results to a shared file or URL)";
    }
    send(V1Codec.jobResult(stamp, ret, retval));
  }

  // ---- resource client --------------------------------------------------------------------------------

  /** The error class of a result whose Python code raised ({@code errcode} 1): the payload is its text. */
  static final String PYTHON_ERROR = "python";

  private void becomeResourceClient(V1Message.Reg reg) {
    state = State.RESOURCE_CLIENT;
    resourceId = NEXT_ID.getAndIncrement();
    slotAddress = io.antpool.protocol.Protocol.BUS_SLOT_PREFIX + "v1-" + UUID.randomUUID();
    PeerInfo peer = new PeerInfo("python-" + resourceId + "@" + remoteIp, remoteIp, remoteIp,
        reg.info().platform(), 1, reg.info().totalMemoryMb() << 20, reg.info().freeMemoryMb() << 20,
        reg.info().cpuScore(), 0, "v1");
    slotConsumer = server.bus().<Buffer>localConsumer(slotAddress, msg -> {
      Frame frame;
      try {
        frame = Frame.decode(msg.body());
      } catch (ProtocolException e) {
        msg.fail(1, e.getMessage());
        return;
      }
      if (frame.header() instanceof Dispatch d) {
        String code = frame.payload().toString(StandardCharsets.UTF_8);
        outbox.writeText(V1Codec.run(resourceId, d.taskId(), d.rtype(), code, System.currentTimeMillis() / 1000.0,
            code.length())).onComplete(ar -> {
              if (ar.succeeded()) {
                msg.reply(Buffer.buffer(0));
              } else {
                msg.fail(1, "socket write failed: " + ar.cause().getMessage());
              }
            });
      } // a cancel: v1 has no way to stop running code; the scheduler discards the result when it comes
    });
    slotConsumer.completion().onComplete(ar -> {
      if (state == State.RESOURCE_CLIENT) {
        send(V1Codec.reg(reg.stamp(), resourceId));
        slot = server.scheduler().addSlot(slotAddress, peer, remoteIp, WorkerKind.PYTHON);
        pingTimer = server.vertx().setPeriodic(server.options().getLegacyPingMillis(), t -> ping());
      }
    });
  }

  private void onResourceClientMessage(V1Message m) {
    if (m instanceof V1Message.Rok rok) {
      Result result = new Result(rok.callId(), rok.errcode() == 0 ? Result.Status.VALUE : Result.Status.ERROR,
          rok.errcode() == 0 ? null : PYTHON_ERROR, null, null).withCpuNanos((long) (rok.stime() * 1e9));
      if (!server.scheduler().onResult(slotAddress, result, Buffer.buffer(rok.ret()))) {
        log.debug("python resource client {}: ignoring the ROK of call {}, which it does not run", resourceId,
            rok.callId());
      }
      send(V1Codec.rokAck(rok.callId()));
    } else if (m instanceof V1Message.Pong) {
      pingUnanswered = false;
    } else if (m instanceof V1Message.Ping) {
      send("PONG");
    } else if (m instanceof V1Message.Remove) {
      log.info("python resource client {} at {} leaves (REMOVE)", resourceId, remoteIp);
      leave("it left (REMOVE)");
    } else {
      refuse(m.command(), m.stamp(), BAD_CALL, "Call parameters do not match! A resource client sends ROK, PONG"
          + " or REMOVE; got " + m.command());
    }
  }

  /**
   * The original's heartbeat: an idle resource client is sent PING, and closed if it has not answered the
   * previous one. A busy one is left alone: its code runs on the thread that would answer.
   */
  private void ping() {
    if (slot == null || slot.busy()) {
      return;
    }
    if (pingUnanswered) {
      log.warn("python resource client {} at {} did not answer PING within {} ms: closing its connection",
          resourceId, remoteIp, server.options().getLegacyPingMillis());
      closeWith(CloseCodes.SILENT, "no PONG within " + server.options().getLegacyPingMillis() + " ms");
      return;
    }
    pingUnanswered = true;
    send("PING");
  }

  private void onStalled() {
    log.warn("{} at {} has not read what the server sent it for {} ms: closing its connection", who(), remoteIp,
        outbox.stalledMillis());
    closeWith(CloseCodes.NOT_READING, "not reading: write queue full for " + outbox.stalledMillis() + " ms");
  }

  private void leave(String reason) {
    if (slotConsumer != null) {
      slotConsumer.unregister();
      slotConsumer = null;
      server.scheduler().removeSlot(slotAddress, reason);
    }
  }

  private void closeWith(short code, String reason) {
    if (state == State.CLOSED) {
      return;
    }
    server.stats().peersClosed++;
    server.events().peerFault(who(), remoteIp, "closed with " + code + ": " + reason);
    onClose();
    ws.shutdown(CLOSE_HANDSHAKE_MILLIS, TimeUnit.MILLISECONDS, code, CloseCodes.fit(reason));
  }

  private void onClose() {
    if (state == State.CLOSED) {
      return;
    }
    State was = state;
    state = State.CLOSED;
    outbox.stop();
    server.vertx().cancelTimer(helloTimer);
    if (pingTimer >= 0) {
      server.vertx().cancelTimer(pingTimer);
    }
    if (was == State.TASK_CLIENT) {
      log.info("python task client {} at {} closed its connection: its session ends", clientId, remoteIp);
      server.sessions().left(client, this); // a v1 client cannot resume: nothing to wait for
    } else if (was == State.RESOURCE_CLIENT) {
      leave("its connection closed");
    }
  }
}
