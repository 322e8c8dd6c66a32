package io.antpool.client.impl;

import io.antpool.AntPoolException;
import io.antpool.AuthenticationException;
import io.antpool.auth.TokenSource;
import io.antpool.TaskProgress;
import io.antpool.RemoteTaskException;
import io.antpool.TaskOrigin;
import io.antpool.WorkerLostException;
import io.antpool.client.AntPoolOptions;
import io.antpool.client.TaskOptions;
import io.antpool.client.WorkerResult;
import io.antpool.config.NativeTransport;
import io.antpool.protocol.BroadcastScope;
import io.antpool.protocol.Cancel;
import io.antpool.protocol.CloseCodes;
import io.antpool.protocol.Withdraw;
import io.antpool.protocol.Withdrawn;
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
import io.antpool.protocol.TaskKind;
import io.antpool.protocol.Welcome;
import io.antpool.protocol.impl.Backoff;
import io.antpool.protocol.impl.BatchWriter;
import io.antpool.protocol.impl.Dialer;
import io.antpool.protocol.impl.FrameBatch;
import io.antpool.protocol.impl.Heartbeat;
import io.antpool.protocol.impl.LocalPeer;
import io.antpool.protocol.impl.OversizedMessage;
import io.antpool.protocol.impl.ServerMessages;
import io.antpool.task.TaskCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task client's connection to the server. States:
 *
 * <pre>
 *   CONNECTING ──welcome──▶ READY ──socket closed──▶ RETRYING ──timer──▶ CONNECTING
 *        └──unreachable──▶ RETRYING ──connectTimeout passed──▶ failed tasks, RETRYING on next submit
 *   (any) ──close()──▶ CLOSED
 *   CONNECTING ──credential refused──▶ CLOSED (every task fails with an AuthenticationException)
 * </pre>
 *
 * Tasks wait in {@code waiting} until the connection is READY and fewer than {@code maxWorkers} are in flight.
 * When the socket drops, the client reconnects and asks to resume its session, naming the tasks it awaits. If
 * the server still holds the session (within its grace period), the tasks go on where they are, the results
 * produced meanwhile arrive, and only the tasks the server names in its welcome are sent again; if not (the
 * session ended, or the server restarted), every task in flight goes back to the head of {@code waiting} and is
 * sent again (execution at least once; each promise completes exactly once). A cancelled task is forgotten: a
 * waiting one is skipped when its turn comes, one in flight is sent a {@link Cancel} and its result, should it
 * come, is ignored. All state is confined to one Vert.x context; public methods may be called from any thread.
 */
public final class ClientConnection {
  private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

  enum State { CONNECTING, READY, RETRYING, CLOSED }

  private final Vertx vertx;
  private final Context context;
  /**
   * How every public method reaches {@code context}: in the order of the calls, many per event-loop task (a burst
   * of submits costs one task and one batch of frames, not one each).
   */
  private final ContextInbox inbox;
  private final AntPoolOptions options;
  private final URI server;
  private final ClassServer classes;
  private final Hello hello;
  /** The most this client accepts in one message from the server. */
  private final int maxMessageBytes;
  private final ArrayDeque<PendingTask> waiting = new ArrayDeque<>();
  private final Map<Long, PendingTask> inFlight = new HashMap<>();
  /** Every task whose promise is not completed yet, waiting or in flight, by its future: to find cancels. */
  private final Map<Future<Object>, PendingTask> open = new IdentityHashMap<>();
  private final Promise<Void> firstWelcome = Promise.promise();
  private WebSocketClient wsClient;
  private WebSocket ws;
  /** Writes to {@code ws}, coalescing the frames of one event-loop turn; null when {@code ws} is. */
  private BatchWriter out;
  private State state = State.CONNECTING;
  private String sessionId;
  private long nextTaskId = 1;
  private long unreachableSince = -1;
  private final Backoff backoff = new Backoff(100, 5_000);
  private long socketEpoch;
  private Withdrawal withdrawal;
  /** Why the server refused this client's credential; once set, the client is closed for good. */
  private AuthenticationException refusal;
  private Heartbeat heartbeat;
  /** The server's limit on a message from this client, from its welcome; 0: none known. */
  private int maxFrameBytes;
  /** Told of every progress report of a task in flight, on this connection's context; null: nobody. */
  private volatile BiConsumer<Future<Object>, TaskProgress> progressHandler;

  public ClientConnection(Vertx vertx, AntPoolOptions options) {
    this(vertx, options, ServerMessages.MAX_BYTES);
  }

  /**
   * A connection that accepts messages of at most {@code maxMessageBytes} from the server (the other constructor:
   * {@link ServerMessages#MAX_BYTES}, the most any server may send; a test lowers it to exercise a message over it).
   */
  public ClientConnection(Vertx vertx, AntPoolOptions options, int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.inbox = new ContextInbox(context);
    this.options = new AntPoolOptions(options);
    this.server = options.serverUri();
    this.classes = new ClassServer(Thread.currentThread().getContextClassLoader());
    String secret = options.getPassword() != null ? options.getPassword() : TokenSource.resolve(options.getToken());
    this.hello = new Hello(Role.CLIENT, Protocol.VERSION, LocalPeer.describe(options.getName(), 0), null)
        .withCredential(options.getUser(), secret);
  }

  /** Starts connecting; the future completes when the server first welcomes this client. */
  public Future<Void> connect() {
    inbox.execute(() -> {
      wsClient = Dialer.client(vertx, options.tls());
      open();
    });
    // while the socket opens: Jackson's first-use work for every frame type, and the JIT's for the path that
    // answers class fetches, off the event loop
    vertx.executeBlocking(() -> {
      ClassServer.warmUp();
      return null;
    }, false);
    return firstWelcome.future();
  }

  /** The session id the server gave, or null before the first welcome. */
  public String sessionId() {
    return sessionId;
  }

  /**
   * Queues a serialized task. The future completes with the task's value, or fails with the exception the task
   * threw (the original type when this client has its class, else {@link RemoteTaskException}),
   * {@link WorkerLostException}, or an {@link AntPoolException} naming the cause.
   */
  public Future<Object> submit(TaskKind kind, byte[] bytes, ClassLoader loader) {
    return submit(kind, bytes, loader, TaskOptions.NONE, null);
  }

  /**
   * Queues a serialized task with routing options (added to this client's {@link AntPoolOptions}). With a
   * {@code broadcast} scope, the task runs once on each target slot the server picks, and the future completes
   * with a {@code List<WorkerResult<Object>>}, one per target, once all have answered.
   */
  public Future<Object> submit(TaskKind kind, byte[] bytes, ClassLoader loader, TaskOptions taskOptions,
      BroadcastScope broadcast) {
    TaskOptions routing = taskOptions.over(options);
    int loaderId = classes.idOf(loader);
    Promise<Object> promise = Promise.promise();
    inbox.execute(() -> {
      if (refusal != null) {
        promise.fail(refusal);
        return;
      }
      if (state == State.CLOSED) {
        promise.fail(new AntPoolException(ErrorCode.SHUTTING_DOWN, "the AntPool client is closed; create a new one"));
        return;
      }
      if (open.size() >= options.getMaxPending()) {
        promise.fail(new RejectedExecutionException(options.getMaxPending() + " tasks of this client have not"
            + " completed yet (AntPoolOptions.maxPending): wait for some to complete before submitting more, or"
            + " raise maxPending"));
        return;
      }
      PendingTask task = new PendingTask(nextTaskId++, kind, options.getRtype(), routing.timeoutMillis(),
          bytes, loader, loaderId, routing.requiredTags(), routing.spread(), broadcast,
          broadcast == null ? null : new BroadcastParts(), promise);
      open.put(promise.future(), task);
      // completions happen on this context, so the index is touched only here
      promise.future().onComplete(ar -> open.remove(promise.future()));
      waiting.addLast(task);
      if (state == State.RETRYING && unreachableSince < 0) {
        unreachableSince = System.currentTimeMillis();
      }
      drain();
    });
    return promise.future();
  }

  /**
   * Cancels a task submitted here, as {@link java.util.concurrent.Future#cancel} would: its future fails with a
   * {@link CancellationException}, and the task is forgotten. A task still waiting in this client is never sent;
   * for one already sent, the server is told to drop it from its queue or, if a worker runs it, to stop it (by
   * interrupting its thread when {@code mayInterruptIfRunning}), and a result that still arrives is ignored.
   *
   * @return true if the task was cancelled; false if its future had completed already, or is not one of this
   *     connection's tasks
   */
  public Future<Boolean> cancel(Future<?> task, boolean mayInterruptIfRunning) {
    Promise<Boolean> done = Promise.promise();
    inbox.execute(() -> done.complete(cancelNow(task, mayInterruptIfRunning)));
    return done.future();
  }

  private boolean cancelNow(Future<?> future, boolean mayInterruptIfRunning) {
    PendingTask task = open.get(future);
    if (task == null || !task.promise().tryFail(new CancellationException("the task was cancelled"))) {
      return false;
    }
    // a waiting task stays in 'waiting' until drain() skips it: removing it there would cost a scan per cancel
    BatchWriter writer = out;
    if (inFlight.remove(task.id()) != null && writer != null) {
      writer.write(Frame.of(new Cancel(task.id(), mayInterruptIfRunning)).encode());
      drain();
    }
    return true;
  }

  private void open() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CONNECTING;
    String insecure = options.tls().insecureWarning(server);
    if (insecure != null) {
      log.warn("{}", insecure);
    }
    Dialer.connect(wsClient, server, options.tls()).onSuccess(this::opened).onFailure(this::unreachable);
  }

  private void opened(WebSocket socket) {
    if (state == State.CLOSED) {
      socket.close();
      return;
    }
    ws = socket;
    out = new BatchWriter(context, socket, () -> { });
    long epoch = ++socketEpoch;
    long timeout = options.getServerTimeoutMillis();
    Heartbeat beat = Heartbeat.start(vertx, socket, timeout, () -> {
      log.warn("the AntPool server {} sent nothing, not even a pong, for {} ms: reconnecting", server, timeout);
      onSocketClosed(epoch);
      // not a goodbye (1000): should the server still hear it, it keeps this client's session to resume
      socket.close(CloseCodes.SILENT, "the server sent nothing for " + timeout + " ms");
    });
    heartbeat = beat;
    ServerMessages.receive(socket, maxMessageBytes, beat, this::onMessage, tooBig -> onTooBig(tooBig, socket, epoch));
    socket.closeHandler(v -> onSocketClosed(epoch));
    socket.exceptionHandler(e -> log.debug("socket error: {}", e.toString()));
    Hello greeting = sessionId == null ? hello
        : hello.resuming(new Hello.Resume(sessionId, new ArrayList<>(inFlight.keySet())));
    out.write(Frame.of(greeting).encode());
  }

  /** A message from the server: one frame, or a {@link FrameBatch} whose frames are handled in order, one by one. */
  private void onMessage(Buffer message) {
    FrameBatch.unwrap(message, this::onFrame,
        e -> log.error("the server sent a message this client cannot read: {}", e.getMessage()));
  }

  private void onFrame(Buffer wire) {
    Frame frame;
    try {
      frame = Frame.decode(wire);
    } catch (ProtocolException e) {
      log.error("the server sent a frame this client cannot read: {}", e.getMessage());
      return;
    }
    Message m = frame.header();
    if (m instanceof Result r) {
      onResult(r, frame.payload());
    } else if (m instanceof Progress p) {
      onProgress(p);
    } else if (m instanceof Withdrawn w) {
      onWithdrawn(w);
    } else if (m instanceof Fetch f) {
      serveFetch(f);
    } else if (m instanceof Welcome w) {
      onWelcome(w);
    } else if (m instanceof ErrorReply e) {
      onError(e);
    } else {
      log.warn("ignoring unexpected {} from the server", m.getClass().getSimpleName());
    }
  }

  /**
   * The server sent a message over this client's limit, so the rest of it will not be read: the task whose result
   * it was fails with an error naming the limit (rather than waiting for a result that never comes, or being sent
   * again to make the same result), and the connection is closed and opened again; the session resumes without
   * that task. A message whose header could not be read fails no task.
   */
  private void onTooBig(OversizedMessage tooBig, WebSocket socket, long epoch) {
    AntPoolException error = tooBig.error("client");
    PendingTask task = tooBig.header() instanceof Result r ? inFlight.remove(r.taskId()) : null;
    log.error("{}; {}reconnecting", error.getMessage(), task == null ? "" : "the task fails; ");
    if (task != null) {
      task.promise().tryFail(error);
    }
    onSocketClosed(epoch);
    // not a goodbye (1000): the server keeps the session for this client to resume
    socket.close(CloseCodes.TOO_BIG, CloseCodes.fit("a message over this client's limit of " + tooBig.limit()
        + " bytes"));
  }

  private void onWelcome(Welcome w) {
    if (sessionId == null) {
      log.info("connected to AntPool server {} as {} ({} transport)", server, w.sessionId(),
          NativeTransport.describe(vertx));
    } else if (w.sessionId().equals(sessionId)) {
      log.info("resumed session {} on AntPool server {}; {} of {} task(s) in flight to submit again", sessionId,
          server, w.resend().size(), inFlight.size());
      sendAgain(w.resend());
    } else {
      log.info("session {} had ended on AntPool server {} (server restarted, or away longer than its grace"
          + " period); new session {}, submitting the {} task(s) in flight again", sessionId, server,
          w.sessionId(), inFlight.size());
      sendAgain(new ArrayList<>(inFlight.keySet()));
    }
    sessionId = w.sessionId();
    maxFrameBytes = w.maxFrameBytes();
    state = State.READY;
    backoff.reset();
    unreachableSince = -1;
    firstWelcome.tryComplete();
    drain();
  }

  /** Puts these tasks in flight back at the head of {@code waiting}, oldest first, to be submitted again. */
  private void sendAgain(List<Long> ids) {
    List<PendingTask> again = new ArrayList<>(ids.size());
    for (Long id : ids) {
      PendingTask task = inFlight.remove(id);
      if (task != null) {
        again.add(task);
      }
    }
    again.sort(Comparator.comparingLong(PendingTask::id).reversed());
    again.forEach(waiting::addFirst);
  }

  private void onResult(Result r, Buffer payload) {
    PendingTask task = r.parts() == null ? inFlight.remove(r.taskId()) : inFlight.get(r.taskId());
    if (task == null) {
      return;
    }
    if (r.parts() != null) {
      onPart(task, r, payload);
      return;
    }
    switch (r.status()) {
      case VALUE -> {
        try {
          task.promise().tryComplete(decodeValue(payload, task.loader()));
        } catch (AntPoolException e) {
          task.promise().tryFail(e);
        }
      }
      case ERROR -> task.promise().tryFail(decodeError(r, payload, task.loader()));
      case LOST -> task.promise().tryFail(new WorkerLostException(r.errorMessage()));
    }
    drain();
  }

  /**
   * Sets who is told, on this connection's context, of each progress report of a task this connection awaits
   * (with the task's future); it must return quickly and never block. Null: nobody.
   */
  public void progressHandler(BiConsumer<Future<Object>, TaskProgress> handler) {
    progressHandler = handler;
  }

  /** A task's progress; one for a task no longer awaited (cancelled, or answered), or with bad figures, is ignored. */
  private void onProgress(Progress p) {
    PendingTask task = inFlight.get(p.taskId());
    BiConsumer<Future<Object>, TaskProgress> handler = progressHandler;
    if (task == null || task.broadcast() != null || handler == null) {
      return;
    }
    if (p.problem() != null) {
      log.debug("ignoring progress of task {} from the server: {}", p.taskId(), p.problem());
      return;
    }
    handler.accept(task.promise().future(), p.value());
  }

  /** One target's result of a broadcast; the broadcast completes when the last is in (or had no target). */
  private void onPart(PendingTask task, Result r, Buffer payload) {
    boolean complete = r.parts() == 0;
    if (!complete && task.parts() != null) {
      Throwable error = null;
      Object value = null;
      switch (r.status()) {
        case VALUE -> {
          try {
            value = decodeValue(payload, task.loader());
          } catch (AntPoolException e) {
            error = e;
          }
        }
        case ERROR -> error = decodeError(r, payload, task.loader());
        case LOST -> error = new WorkerLostException(r.errorMessage());
      }
      complete = task.parts().add(r.part() == null ? -1 : r.part(), r.parts(),
          new WorkerResult<>(r.worker(), value, error));
    }
    if (complete) {
      inFlight.remove(task.id());
      task.promise().tryComplete(task.parts() == null ? List.of() : task.parts().results());
      drain();
    }
  }

  private static Object decodeValue(Buffer payload, ClassLoader loader) {
    try {
      return TaskCodec.decode(payload, loader);
    } catch (Exception | LinkageError e) {
      throw new AntPoolException(ErrorCode.TASK_FAILED, "the task's result could not be decoded on this client: "
          + e + "; return a type whose class this client has", e);
    }
  }

  /** The task's exception, rebuilt (or stood in for), with the worker that ran it attached. */
  private static Throwable decodeError(Result r, Buffer payload, ClassLoader loader) {
    Throwable error = rebuild(r, payload, loader);
    if (r.worker() != null) {
      error.addSuppressed(new TaskOrigin(r.worker()));
    }
    return error;
  }

  private static Throwable rebuild(Result r, Buffer payload, ClassLoader loader) {
    if (payload.length() > 0) {
      try {
        Object decoded = TaskCodec.decode(payload, loader);
        if (decoded instanceof Throwable t) {
          return t;
        }
      } catch (Exception | LinkageError e) {
        log.debug("cannot rebuild remote exception {}: {}", r.errorClass(), e.toString());
      }
    }
    return new RemoteTaskException(r.errorClass(), r.errorMessage(), null);
  }

  private void onError(ErrorReply e) {
    if (e.taskId() == null && AuthenticationException.isAuthCode(e.code())) {
      refused(new AuthenticationException(e.code(), "the AntPool server " + server + " refused this client: "
          + e.code() + ": " + e.message()));
    } else if (e.taskId() != null) {
      PendingTask task = inFlight.remove(e.taskId());
      if (task != null) {
        task.promise().tryFail(new AntPoolException(e.code(), e.message()));
        drain();
      }
    } else {
      log.error("the AntPool server reported {}: {}", e.code(), e.message());
    }
  }

  /**
   * The server refused this client's credential: retrying with the same one cannot help, so the client stops
   * and every task, waiting or to come, fails with {@code refusal}, which says what to change.
   */
  private void refused(AuthenticationException refusal) {
    log.error("{}", refusal.getMessage());
    this.refusal = refusal;
    state = State.CLOSED;
    firstWelcome.tryFail(refusal);
    waiting.forEach(t -> t.promise().tryFail(refusal));
    inFlight.values().forEach(t -> t.promise().tryFail(refusal));
    waiting.clear();
    inFlight.clear();
  }

  private void serveFetch(Fetch fetch) {
    vertx.executeBlocking(() -> classes.answer(fetch.loader(), fetch.path(), fetch.known()), false)
        .onComplete(ar -> {
          BatchWriter writer = out;
          if (writer == null) {
            return;
          }
          Frame reply;
          if (ar.failed()) {
            reply = Frame.of(new FetchReply(fetch.requestId(), false, "client could not read " + fetch.path()
                + ": " + ar.cause()));
          } else if (!ar.result().found()) {
            reply = Frame.of(new FetchReply(fetch.requestId(), false, null));
          } else {
            ClassServer.Answer a = ar.result();
            FetchReply header = new FetchReply(fetch.requestId(), true, null, a.sha256());
            reply = a.omitted() ? Frame.of(header) : Frame.of(header, a.bytes());
          }
          writer.write(reply.encode());
        });
  }

  /** Sends waiting tasks while the connection is ready and the in-flight window has room. */
  private void drain() {
    while (state == State.READY && inFlight.size() < options.getMaxWorkers() && !waiting.isEmpty()) {
      PendingTask task = waiting.pollFirst();
      if (task.promise().future().isComplete()) {
        continue; // cancelled while it waited
      }
      Submit submit = new Submit(task.id(), task.kind(), task.rtype(), task.loaderId(), task.requires(),
          task.spread(), task.broadcast(), task.timeoutMillis());
      Buffer wire = Frame.of(submit, task.bytes()).encode(); // a large task is not copied: see Fragments
      if (maxFrameBytes > 0 && wire.length() > maxFrameBytes) {
        // sent, it would close the connection, and be sent again after every reconnect
        task.promise().tryFail(new AntPoolException(ErrorCode.TOO_LARGE, "the task is " + wire.length()
            + " bytes serialized, more than the server's limit of " + maxFrameBytes + " bytes (maxFrameBytes);"
            + " capture less data in it (pass a file name or a key instead of the data), or raise maxFrameBytes in"
            + " the server's configuration"));
        continue;
      }
      inFlight.put(task.id(), task);
      if (task.parts() != null) {
        task.parts().reset(); // a resend after a reconnect is a new broadcast, with targets of its own
      }
      out.write(wire);
    }
  }

  private void onSocketClosed(long epoch) {
    if (epoch != socketEpoch) {
      return;
    }
    socketEpoch++; // a close reported twice (silence, then the socket's own close) is handled once
    if (heartbeat != null) {
      heartbeat.stop();
    }
    ws = null;
    out = null;
    if (state == State.CLOSED) {
      return;
    }
    // Tasks in flight stay there: the welcome on reconnecting says which must be submitted again.
    retry("lost the connection to the AntPool server at " + server);
  }

  /**
   * A failed handshake fails the tasks that wait at once: trying again does not make a certificate trusted. The
   * client still retries (the server may be given another certificate), so tasks submitted later try again.
   */
  private void unreachable(Throwable e) {
    if (e instanceof AntPoolException tls && tls.code() == ErrorCode.TLS_FAILED && state != State.CLOSED) {
      log.error("{}", tls.getMessage());
      failWaiting(tls);
    }
    retry(e.getMessage());
  }

  private void retry(String why) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.RETRYING;
    long now = System.currentTimeMillis();
    if (unreachableSince < 0) {
      unreachableSince = now;
    }
    if (now - unreachableSince >= options.getConnectTimeoutMillis()) {
      AntPoolException error = new AntPoolException(ErrorCode.CONNECTION_LOST, why + " for "
          + (now - unreachableSince) + " ms; start the server (antpoolsrv) or check the URL, then submit again");
      if (!waiting.isEmpty() || !inFlight.isEmpty()) {
        log.error("{}", error.getMessage());
      }
      failWaiting(error);
    }
    long delay = backoff.nextDelayMillis();
    if (backoff.failures() == 1) {
      log.info("{}; retrying", why);
    }
    vertx.setTimer(delay, t -> open());
  }

  /** Fails the first welcome and every task this client holds: the server cannot be reached. */
  private void failWaiting(AntPoolException error) {
    firstWelcome.tryFail(error);
    while (!waiting.isEmpty()) {
      waiting.pollFirst().promise().tryFail(error);
    }
    inFlight.values().forEach(t -> t.promise().tryFail(error));
    inFlight.clear(); // resuming with none awaited has the server cancel them, should it still hold the session
    unreachableSince = -1; // a later submit starts a new grace period
  }

  /** Closes the connection; tasks not yet completed fail with {@code SHUTTING_DOWN}. */
  public Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    inbox.execute(() -> {
      state = State.CLOSED;
      AntPoolException error = new AntPoolException(ErrorCode.SHUTTING_DOWN,
          "the AntPool client was closed before the task completed");
      waiting.forEach(t -> t.promise().tryFail(error));
      inFlight.values().forEach(t -> t.promise().tryFail(error));
      waiting.clear();
      inFlight.clear();
      firstWelcome.tryFail(error);
      WebSocket socket = ws;
      if (out != null) {
        out.flush();
      }
      ws = null;
      out = null;
      Future<Void> socketClosed = socket == null ? Future.succeededFuture() : socket.close();
      socketClosed.transform(ar -> wsClient == null ? Future.succeededFuture() : wsClient.shutdown(1, TimeUnit.SECONDS))
          .onComplete(ar -> closed.complete());
    });
    return closed.future();
  }

  /**
   * {@code ExecutorService.shutdownNow}: the tasks still waiting in this client, and those still queued on the
   * server, never start; their futures fail with a {@link CancellationException} and are returned, in the order
   * they were submitted as far as each side knows it (this client's first). Tasks running on workers are
   * interrupted and complete as they end. Without a connection, or when the server does not answer within
   * {@code timeoutMillis}, only the tasks waiting here are withdrawn.
   */
  public Future<List<Future<Object>>> withdraw(long timeoutMillis) {
    Promise<List<Future<Object>>> done = Promise.promise();
    inbox.execute(() -> {
      List<Future<Object>> removed = new ArrayList<>(waiting.size());
      for (PendingTask t : waiting) {
        if (t.promise().tryFail(new CancellationException("cancelled by shutdownNow before it was sent"))) {
          removed.add(t.promise().future());
        }
      }
      waiting.clear();
      BatchWriter writer = out;
      if (state != State.READY || writer == null || inFlight.isEmpty() || withdrawal != null) {
        done.complete(removed);
        return;
      }
      Withdrawal w = new Withdrawal(removed, done);
      withdrawal = w;
      writer.write(Frame.of(new Withdraw()).encode());
      vertx.setTimer(timeoutMillis, t -> {
        if (withdrawal == w) {
          withdrawal = null;
          log.warn("the server did not answer shutdownNow within {} ms: tasks queued there may still run",
              timeoutMillis);
          done.tryComplete(removed);
        }
      });
    });
    return done.future();
  }

  /** A {@link Withdraw} sent, waiting for its answer: what this client withdrew already, and who waits. */
  private record Withdrawal(List<Future<Object>> removed, Promise<List<Future<Object>>> done) {
  }

  private void onWithdrawn(Withdrawn answer) {
    Withdrawal w = withdrawal;
    if (w == null) {
      return; // answered after the timeout: those tasks were dropped by the server all the same
    }
    withdrawal = null;
    for (long id : answer.neverStarted()) {
      PendingTask t = inFlight.remove(id);
      if (t != null && t.promise().tryFail(new CancellationException("cancelled by shutdownNow in the server's"
          + " queue, before it started"))) {
        w.removed().add(t.promise().future());
      }
    }
    w.done().tryComplete(w.removed());
    drain();
  }

}
