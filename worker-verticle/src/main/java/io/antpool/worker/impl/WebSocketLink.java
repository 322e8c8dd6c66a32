package io.antpool.worker.impl;

import io.antpool.AntPoolException;
import io.antpool.AuthenticationException;
import io.antpool.protocol.Cancel;
import io.antpool.protocol.Recall;
import io.antpool.protocol.CloseCodes;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.Drain;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Fetch;
import io.antpool.protocol.FetchReply;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.ProtocolException;
import io.antpool.protocol.Result;
import io.antpool.protocol.SessionEnded;
import io.antpool.protocol.Welcome;
import io.antpool.protocol.impl.Backoff;
import io.antpool.protocol.impl.BatchWriter;
import io.antpool.protocol.ClientTls;
import io.antpool.protocol.impl.Dialer;
import io.antpool.protocol.impl.FrameBatch;
import io.antpool.protocol.impl.Heartbeat;
import io.antpool.protocol.impl.OversizedMessage;
import io.antpool.protocol.impl.ServerMessages;
import io.antpool.task.TaskCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker slot connected to the server over one WebSocket ({@code antpool.v2}). States:
 *
 * <pre>
 *   CONNECTING ──open + welcome──▶ REGISTERED ──close──▶ WAITING ──timer──▶ CONNECTING
 *       └──refused / unreachable──▶ WAITING                 (any) ──stop()──▶ STOPPED
 *       └──credential refused──▶ STOPPED (told to the slot handler: the worker leaves)
 * </pre>
 *
 * Retries back off from 250 ms to {@code reconnectMaxMillis}.
 *
 * <p>Frames leave unmasked unless {@code maskFrames} (see {@code WorkerOptions#setMaskFrames}). A connection that
 * ends before the server answered anything, closed with 1002 or without a close frame (what a stricter server
 * or a proxy does with unmasked frames; an AntPool server always answers a hello), switches the link to masked
 * frames for good, with a warning, and it connects again as after any close.
 */
public final class WebSocketLink implements WorkerLink {
  private static final Logger log = LoggerFactory.getLogger(WebSocketLink.class);

  enum State { CONNECTING, REGISTERED, WAITING, STOPPED }

  private final Vertx vertx;
  private final URI server;
  private final ClientTls tls;
  private final Supplier<Hello> hello;
  private final SlotHandler handler;
  private final java.util.function.Consumer<String> sessionEnded;
  private final long fetchTimeoutMillis;
  private final long serverTimeoutMillis;
  /** The most this worker accepts in one message from the server. */
  private final int maxMessageBytes;
  private Heartbeat heartbeat;
  private final Backoff backoff;
  private final ConcurrentHashMap<Long, CompletableFuture<Frame>> fetches = new ConcurrentHashMap<>();
  private final AtomicLong nextFetchId = new AtomicLong(1);
  private WebSocketClient client;
  /** Whether frames leave masked: from the start with maskFrames, or after the other end refused unmasked ones. */
  private volatile boolean masked;
  /** Whether the server sent anything on the current connection. */
  private boolean answered;
  /** The server's limit on a message from this worker, from its welcome; 0: none known. */
  private volatile int maxFrameBytes;
  private volatile WebSocket ws;
  /**
   * Writes to {@code ws}, coalescing what one event-loop turn sends (results of prefetched tasks that end back
   * to back); null when {@code ws} is.
   */
  private volatile BatchWriter out;
  private volatile long epoch;
  private volatile State state = State.CONNECTING;

  public WebSocketLink(Vertx vertx, URI server, ClientTls tls, boolean maskFrames, Supplier<Hello> hello,
      SlotHandler handler, java.util.function.Consumer<String> sessionEnded, long fetchTimeoutMillis,
      long reconnectMaxMillis, long serverTimeoutMillis) {
    this(vertx, server, tls, maskFrames, hello, handler, sessionEnded, fetchTimeoutMillis, reconnectMaxMillis,
        serverTimeoutMillis, ServerMessages.MAX_BYTES);
  }

  /**
   * A link that accepts messages of at most {@code maxMessageBytes} from the server (the other constructor:
   * {@link ServerMessages#MAX_BYTES}, the most any server may send; a test lowers it to exercise a message over it).
   */
  public WebSocketLink(Vertx vertx, URI server, ClientTls tls, boolean maskFrames, Supplier<Hello> hello,
      SlotHandler handler, java.util.function.Consumer<String> sessionEnded, long fetchTimeoutMillis,
      long reconnectMaxMillis, long serverTimeoutMillis, int maxMessageBytes) {
    this.masked = maskFrames;
    this.maxMessageBytes = maxMessageBytes;
    this.serverTimeoutMillis = serverTimeoutMillis;
    this.sessionEnded = sessionEnded;
    this.vertx = vertx;
    this.server = server;
    this.tls = tls;
    this.hello = hello;
    this.handler = handler;
    this.fetchTimeoutMillis = fetchTimeoutMillis;
    this.backoff = new Backoff(250, reconnectMaxMillis);
  }

  @Override
  public Future<Void> start() {
    client = Dialer.client(vertx, tls, masked);
    connect();
    return Future.succeededFuture();
  }

  private void connect() {
    if (state == State.STOPPED) {
      return;
    }
    state = State.CONNECTING;
    String insecure = tls.insecureWarning(server);
    if (insecure != null) {
      log.warn("{}", insecure);
    }
    Dialer.connect(client, server, tls).onSuccess(this::opened).onFailure(e -> retry(e.getMessage()));
  }

  private void opened(WebSocket socket) {
    if (state == State.STOPPED) {
      socket.close();
      return;
    }
    long myEpoch = ++epoch;
    BatchWriter writer = new BatchWriter(vertx.getOrCreateContext(), socket, () -> { });
    out = writer;
    ws = socket;
    Heartbeat beat = Heartbeat.start(vertx, socket, serverTimeoutMillis, () -> {
      log.warn("the server {} sent nothing, not even a pong, for {} ms: reconnecting", server, serverTimeoutMillis);
      onClosed(myEpoch, null, null);
      socket.close();
    });
    heartbeat = beat;
    answered = false;
    ServerMessages.receive(socket, maxMessageBytes, beat, this::onMessage,
        tooBig -> onTooBig(tooBig, socket, myEpoch));
    socket.closeHandler(v -> onClosed(myEpoch, socket.closeStatusCode(), socket.closeReason()));
    socket.exceptionHandler(e -> log.debug("socket error: {}", e.toString()));
    writer.write(Frame.of(hello.get()).encode());
  }

  /** A message from the server: one frame, or a {@link FrameBatch} whose frames are handled in order, one by one. */
  private void onMessage(Buffer message) {
    answered = true;
    FrameBatch.unwrap(message, this::onFrame,
        e -> log.error("server sent a message this worker cannot read: {}", e.getMessage()));
  }

  private void onFrame(Buffer wire) {
    Frame frame;
    try {
      frame = Frame.decode(wire);
    } catch (ProtocolException e) {
      log.error("server sent a frame this worker cannot read: {}", e.getMessage());
      return;
    }
    io.antpool.protocol.Message m = frame.header();
    if (m instanceof Dispatch) {
      handler.onDispatch(frame);
    } else if (m instanceof Cancel c) {
      handler.onCancel(c);
    } else if (m instanceof Recall r) {
      handler.onRecall(r);
    } else if (m instanceof FetchReply r) {
      CompletableFuture<Frame> waiting = fetches.remove(r.requestId());
      if (waiting != null) {
        waiting.complete(frame);
      }
    } else if (m instanceof Welcome w) {
      maxFrameBytes = w.maxFrameBytes();
      state = State.REGISTERED;
      backoff.reset();
      System.out.println("AntPool worker " + hello.get().peer().name() + " joined " + server + " as "
          + w.sessionId());
    } else if (m instanceof SessionEnded ended) {
      sessionEnded.accept(ended.session());
    } else if (m instanceof ErrorReply e && e.taskId() != null) {
      log.warn("the server answered {} about task {}: {}", e.code(), e.taskId(), e.message());
    } else if (m instanceof ErrorReply e && AuthenticationException.isAuthCode(e.code())) {
      state = State.STOPPED; // the close that follows must not make it retry
      handler.onRefused(new AuthenticationException(e.code(), "the AntPool server " + server + " refused this"
          + " worker: " + e.code() + ": " + e.message()));
    } else if (m instanceof ErrorReply e) {
      log.error("server refused this worker: {} {}", e.code(), e.message());
    } else {
      log.warn("ignoring unexpected {} from the server", m.getClass().getSimpleName());
    }
  }

  /**
   * The server sent a message over this worker's limit, so the rest of it will not be read. A task it dispatched
   * is answered with an error result naming the limit, sent before anything else ends, so the server completes
   * the task with it instead of running it again on another worker (or this one) to the same end; then the
   * connection is closed and opened again, as after any broken connection.
   */
  private void onTooBig(OversizedMessage tooBig, WebSocket socket, long tooBigEpoch) {
    AntPoolException error = tooBig.error("worker");
    log.error("{}; reconnecting", error.getMessage());
    if (tooBig.header() instanceof Dispatch d) {
      socket.writeBinaryMessage(errorResult(d.taskId(), error, hello.get().peer().name()));
    }
    onClosed(tooBigEpoch, null, null);
    socket.close(CloseCodes.TOO_BIG, CloseCodes.fit("a message over this worker's limit of " + tooBig.limit()
        + " bytes"));
  }

  /**
   * The connection of {@code closedEpoch} ended, with the other end's close status {@code code} (1006: no close
   * frame came) and {@code reason}; both null when this worker ended it.
   */
  private void onClosed(long closedEpoch, Short code, String reason) {
    if (closedEpoch != epoch) {
      return;
    }
    boolean refusal = code != null && (code == CloseCodes.ABNORMAL || code == CloseCodes.PROTOCOL_ERROR);
    if (!masked && !answered && state == State.CONNECTING && refusal) {
      maskFromNowOn(code == CloseCodes.ABNORMAL ? "no close frame" : code + " " + reason);
    }
    epoch++; // a close reported twice (silence, then the socket's own close) is handled once
    if (heartbeat != null) {
      heartbeat.stop();
    }
    ws = null;
    out = null;
    IOException lost = new IOException("the connection to the server " + server + " was lost");
    fetches.values().forEach(f -> f.completeExceptionally(lost));
    fetches.clear();
    if (state != State.STOPPED) {
      retry("connection to " + server + " closed");
    }
  }

  /**
   * The connection ended before the server answered this worker's hello, sent in unmasked frames, in the way a
   * stricter server or a proxy refuses them (an AntPool server accepts them and always answers a hello). The
   * cause may be another (a server stopping just then), but masking is correct with any server: later
   * connections use masked frames.
   */
  private void maskFromNowOn(String why) {
    masked = true;
    log.warn("the server {} (or a proxy on the way) ended the connection before answering this worker's hello,"
        + " which it sent in unmasked WebSocket frames ({}): in case it refuses unmasked frames, this worker masks"
        + " them from now on, at some CPU cost for large results; --mask-frames (maskFrames) masks them from the"
        + " start", server, why);
    WebSocketClient unmasked = client;
    client = Dialer.client(vertx, tls, true);
    unmasked.close();
  }

  private void retry(String why) {
    if (state == State.STOPPED) {
      return;
    }
    state = State.WAITING;
    long delay = backoff.nextDelayMillis();
    if (backoff.failures() == 1 || backoff.failures() % 10 == 0) {
      log.info("{}; retrying in {} ms", why, delay);
    }
    vertx.setTimer(delay, t -> connect());
  }

  /** Whether this link's frames leave masked now. */
  boolean masksFrames() {
    return masked;
  }

  @Override
  public long epoch() {
    return epoch;
  }

  @Override
  public void sendResult(Frame result, long resultEpoch) {
    BatchWriter writer = out;
    if (writer != null && resultEpoch == epoch) {
      Buffer wire = result.encode(); // a large result's chunks are sent as they are, not copied: see Fragments
      int limit = maxFrameBytes;
      if (limit > 0 && wire.length() > limit && result.header() instanceof Result r) {
        // the server would close the connection, the task would be lost and run again, and fail the same way
        AntPoolException tooLarge = new AntPoolException(ErrorCode.TOO_LARGE, "the task's result is " + wire.length()
            + " bytes, more than the server's limit of " + limit + " bytes (maxFrameBytes); return less data, or"
            + " raise maxFrameBytes in the server's configuration");
        log.warn("task {}: {}", r.taskId(), tooLarge.getMessage());
        wire = errorResult(r.taskId(), tooLarge, r.worker());
      }
      writer.write(wire);
    } else {
      log.info("dropping the result of a task whose connection was lost; the server reruns it elsewhere");
    }
  }

  /** The wire form of task {@code taskId}'s failure with {@code error}, which AntPool raised on {@code worker}. */
  private static Buffer errorResult(long taskId, AntPoolException error, String worker) {
    return Frame.of(new Result(taskId, Result.Status.ERROR, AntPoolException.class.getName(), error.getMessage(),
        worker), TaskCodec.encodeThrowable(error)).encode();
  }

  @Override
  public void sendNotice(Frame notice, long noticeEpoch) {
    BatchWriter writer = out;
    if (writer != null && noticeEpoch == epoch) {
      writer.write(notice.encode());
    }
  }

  @Override
  public SessionResources.Fetched fetch(String session, int loader, String path, java.util.List<String> known)
      throws IOException {
    BatchWriter writer = out;
    if (writer == null) {
      throw new IOException("not connected to the server " + server);
    }
    long id = nextFetchId.getAndIncrement();
    CompletableFuture<Frame> reply = new CompletableFuture<>();
    fetches.put(id, reply);
    writer.write(Frame.of(new Fetch(id, session, path, loader, known)).encode()); // from the task's thread: hops
    return FetchResults.await(reply, fetchTimeoutMillis, path, () -> fetches.remove(id));
  }

  @Override
  public void drain() {
    BatchWriter writer = out;
    if (writer != null) {
      writer.write(Frame.of(new Drain()).encode());
    }
  }

  @Override
  public Future<Void> stop() {
    state = State.STOPPED;
    WebSocket socket = ws;
    BatchWriter writer = out;
    if (writer != null) {
      writer.flush(); // the last result and the drain go before the close
    }
    Future<Void> closed = socket == null ? Future.succeededFuture() : socket.close();
    return closed.transform(ar -> client == null ? Future.succeededFuture() : client.shutdown(1, TimeUnit.SECONDS));
  }
}
