package io.antpool.bench;

import io.antpool.auth.TokenSource;
import io.antpool.config.NativeTransport;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.Recall;
import io.antpool.protocol.Recalled;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.PeerInfo;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.antpool.protocol.Welcome;
import io.antpool.protocol.impl.FrameBatch;
import io.antpool.protocol.impl.Heartbeat;
import io.antpool.task.TaskCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many worker slots in one JVM, each its own {@code antpool.v2} WebSocket, as the server sees real workers
 * (hello, welcome, dispatch, result, pings both ways: each has a worker's {@link Heartbeat}), except that they
 * run no code: each answers a dispatch at once with the value 0. What the server does for them is exactly what it does for real workers; only the workers'
 * own cost is left out, so a benchmark can hold thousands of them on one machine.
 */
final class SimulatedWorkers implements AutoCloseable {
  private static final Buffer ZERO = Buffer.buffer(TaskCodec.encodeValue(0));
  /** A worker's default {@code serverTimeoutMillis} (this module does not depend on the worker's). */
  private static final long WORKER_SERVER_TIMEOUT_MILLIS = 10_000;

  private final Vertx vertx = NativeTransport.vertx();
  private final WebSocketClient client;
  private final List<ClientWebSocket> sockets = new ArrayList<>();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong silentServer = new AtomicLong();
  private final int firstNumber;
  private int opened;

  private SimulatedWorkers(int firstNumber, int capacity) {
    this.firstNumber = firstNumber;
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(capacity + 1));
  }

  /** Connects {@code count} slots to the server at {@code wsUrl}; returns once each was welcomed. */
  static SimulatedWorkers connect(String wsUrl, int count, long timeoutSeconds) throws InterruptedException {
    SimulatedWorkers workers = create(1, count);
    try {
      workers.add(wsUrl, count, timeoutSeconds);
    } catch (IllegalStateException e) {
      workers.close();
      throw e;
    }
    return workers;
  }

  /**
   * Slots yet to be connected with {@link #add}, at most {@code capacity} in all, named {@code simulated-N}
   * from {@code N = firstNumber} on: several JVMs holding slots of one pool give them distinct names.
   */
  static SimulatedWorkers create(int firstNumber, int capacity) {
    return new SimulatedWorkers(firstNumber, capacity);
  }

  /**
   * Connects {@code count} more slots to the server at {@code wsUrl}; returns once each was welcomed.
   *
   * @throws IllegalStateException if some were not welcomed within {@code timeoutSeconds}; those welcomed stay
   */
  void add(String wsUrl, int count, long timeoutSeconds) throws InterruptedException {
    URI uri = URI.create(wsUrl);
    CountDownLatch welcomed = new CountDownLatch(count);
    for (int i = 0; i < count; i++) {
      int n = firstNumber + opened++;
      PeerInfo peer = new PeerInfo("simulated-" + n, "sim-host-" + (n % 50), "127.0.0.1", "simulated", 1,
          1L << 30, 1L << 29, 1.0, ProcessHandle.current().pid(), Protocol.ANTPOOL_VERSION);
      open(uri, peer, welcomed);
    }
    if (!welcomed.await(timeoutSeconds, TimeUnit.SECONDS)) {
      throw new IllegalStateException((count - welcomed.getCount()) + " of " + count + " simulated workers were"
          + " welcomed within " + timeoutSeconds + " s");
    }
  }

  /**
   * Opens one slot's connection; a refused or timed-out handshake (a busy machine) is tried again, and a
   * connection whose server went silent is replaced, as a real worker does. {@code welcomed} counts the slot's
   * first welcome only.
   */
  private void open(URI uri, PeerInfo peer, CountDownLatch welcomed) {
    open(uri, peer, welcomed, new AtomicBoolean(), 3);
  }

  private void open(URI uri, PeerInfo peer, CountDownLatch welcomed, AtomicBoolean once, int triesLeft) {
    ClientWebSocket ws = client.webSocket();
    synchronized (sockets) {
      sockets.add(ws);
    }
    ws.connect(new WebSocketConnectOptions().setHost(uri.getHost()).setPort(uri.getPort()).setURI(Protocol.WS_PATH)
            .addSubProtocol(Protocol.SUBPROTOCOL))
        .onSuccess(v -> {
          // As a real worker's link does, a slot pings the server when it has been quiet for a while and gives up
          // on a server silent for its timeout (counted here), then connects again. Its heartbeat starts with the
          // welcome, not at once as a real worker's: the benchmark opens thousands of connections at a time, and
          // on a loaded machine the server may take longer than that timeout to welcome them all (the hello
          // timeout, a minute here, governs that wait); slots reconnecting then would only add to its queue.
          AtomicReference<Heartbeat> heartbeat = new AtomicReference<>();
          ws.closeHandler(closed -> {
            if (heartbeat.get() != null) {
              heartbeat.get().stop();
            }
          });
          ws.binaryMessageHandler(message -> {
            if (heartbeat.get() != null) {
              heartbeat.get().heard();
            }
            for (Buffer wire : FrameBatch.split(message)) { // the server batches what it sends in one turn
              Frame frame = Frame.decode(wire);
              if (frame.header() instanceof Dispatch d) {
                ws.writeBinaryMessage(new Frame(Result.value(d.taskId(), peer.name()), ZERO).encode());
                answered.incrementAndGet();
              } else if (frame.header() instanceof Recall r) { // every task it got is answered already
                ws.writeBinaryMessage(Frame.of(new Recalled(r.taskId(), false)).encode());
              } else if (frame.header() instanceof Welcome) {
                heartbeat.set(Heartbeat.start(vertx, ws, WORKER_SERVER_TIMEOUT_MILLIS, () -> {
                  silentServer.incrementAndGet();
                  ws.close();
                  open(uri, peer, welcomed, once, 3);
                }));
                if (once.compareAndSet(false, true)) {
                  welcomed.countDown();
                }
              }
            }
          });
          ws.writeBinaryMessage(Frame.of(new Hello(Role.WORKER, Protocol.VERSION, peer, TokenSource.resolve(null)))
              .encode());
        })
        .onFailure(e -> {
          if (triesLeft > 1) {
            open(uri, peer, welcomed, once, triesLeft - 1);
          } else {
            System.err.println("simulated worker " + peer.name() + " could not connect: " + e);
          }
        });
  }

  /** Tasks answered so far. */
  long answered() {
    return answered.get();
  }

  /**
   * Connections closed, and opened again, because the server sent nothing, not even a pong, for a worker's
   * timeout.
   */
  long silentServer() {
    return silentServer.get();
  }

  @Override
  public void close() {
    List<Future<Void>> closing = new ArrayList<>();
    synchronized (sockets) {
      sockets.forEach(ws -> closing.add(ws.close()));
    }
    try {
      Future.join(closing).transform(ar -> vertx.close()).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the process is ending anyway
    }
  }
}
