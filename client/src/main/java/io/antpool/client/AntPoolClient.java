package io.antpool.client;

import io.antpool.SerializableCallable;
import io.antpool.SerializableFunction;
import io.antpool.SerializableRunnable;
import io.antpool.TaskProgress;
import io.antpool.TaskNotSerializableException;
import io.antpool.client.impl.CarriesUserCode;
import io.antpool.client.impl.ClientConnection;
import io.antpool.client.impl.MapChunk;
import io.antpool.protocol.BroadcastScope;
import io.antpool.protocol.TaskKind;
import io.antpool.task.TaskCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * The reactive AntPool task client, for code that runs in Vert.x: every call returns a Vert.x {@link Future}
 * that completes on the context the client was created on. For a plain {@code ExecutorService}, use
 * {@link AntPoolExecutor}.
 *
 * <pre>{@code
 * AntPoolClient pool = AntPoolClient.create(vertx, new AntPoolOptions().setUrl("ws://10.0.0.5:8086"));
 * pool.submit(() -> expensive(42)).onSuccess(v -> ...);
 * }</pre>
 *
 * Tasks are serialized on the calling thread, so a task that cannot be serialized is reported at once by a
 * {@link TaskNotSerializableException} naming the culprit. Tasks submitted before the server is reachable wait
 * (up to {@link AntPoolOptions#getConnectTimeoutMillis()}); at most {@link AntPoolOptions#getMaxWorkers()}
 * are in flight at once, the rest wait in the client.
 *
 * <p>Vert.x futures cannot be cancelled themselves; {@link #cancel} cancels the task behind one.
 */
public final class AntPoolClient {
  private final ClientConnection connection;

  private AntPoolClient(ClientConnection connection) {
    this.connection = connection;
  }

  /** Creates a client and starts connecting; tasks may be submitted at once. */
  public static AntPoolClient create(Vertx vertx, AntPoolOptions options) {
    ClientConnection connection = new ClientConnection(vertx, options);
    connection.connect().onFailure(e -> { }); // reported through the tasks that wait for the connection
    return new AntPoolClient(connection);
  }

  /** Creates a client and completes when the server has welcomed it (or the connect timeout passed). */
  public static Future<AntPoolClient> connect(Vertx vertx, AntPoolOptions options) {
    ClientConnection connection = new ClientConnection(vertx, options);
    return connection.connect().map(v -> new AntPoolClient(connection));
  }

  /** Runs a lambda or other serializable callable on a worker; the future carries its value. */
  public <T> Future<T> submit(SerializableCallable<T> task) {
    return send(TaskKind.CALLABLE, task);
  }

  /**
   * Runs a callable on a worker chosen with {@code options} on top of this client's: only a worker carrying
   * the required tags runs it (the task waits in the server's queue until one is connected).
   */
  public <T> Future<T> submit(SerializableCallable<T> task, TaskOptions options) {
    return sendEncoded(TaskKind.CALLABLE, task, encode(task), options, null);
  }

  /**
   * Runs {@code task} once on every worker slot connected when the server receives it (among those carrying
   * this client's required tags), and completes with one {@link WorkerResult} per slot, once all have answered:
   * a failure or a worker lost meanwhile is that slot's entry, not the broadcast's failure. With no slot
   * connected the list is empty. See {@link AntPoolExecutor#broadcast}.
   */
  public <T> Future<List<WorkerResult<T>>> broadcast(SerializableCallable<T> task) {
    return sendEncoded(TaskKind.CALLABLE, task, encode(task), TaskOptions.NONE, BroadcastScope.SLOTS);
  }

  /** As {@link #broadcast}, once per host (remote IP address) rather than per slot. */
  public <T> Future<List<WorkerResult<T>>> broadcastPerHost(SerializableCallable<T> task) {
    return sendEncoded(TaskKind.CALLABLE, task, encode(task), TaskOptions.NONE, BroadcastScope.HOSTS);
  }

  /** The same as {@link #submit(SerializableCallable)}, by the name the reactive API gives it. */
  public <T> Future<T> call(SerializableCallable<T> task) {
    return submit(task);
  }

  /**
   * Applies {@code fn} to every item on the workers, {@code chunksize} consecutive items per task, and completes
   * with the results in the order of the items; fails with the first chunk's failure (the exception of one of
   * its items, as the task threw it).
   *
   * @throws IllegalArgumentException if {@code chunksize} is less than 1
   */
  public <T, R> Future<List<R>> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
      int chunksize) {
    List<Future<List<R>>> chunks = new ArrayList<>();
    MapChunk.<T, R, Future<List<R>>>submitAll(fn, items, chunksize, c -> submit(c), chunks);
    return Future.all(chunks).map(all -> {
      List<R> results = new ArrayList<>();
      for (Future<List<R>> c : chunks) {
        results.addAll(c.result());
      }
      return results;
    });
  }

  /** {@link #map(SerializableFunction, Iterable, int)} with one item per task. */
  public <T, R> Future<List<R>> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
    return map(fn, items, 1);
  }

  /**
   * Runs a callable on a worker. Its class must implement {@link Serializable}.
   *
   * @throws TaskNotSerializableException when it does not (or captures something that is not)
   */
  public <T> Future<T> submitCallable(Callable<T> task) {
    return send(TaskKind.CALLABLE, task);
  }

  /** Runs a lambda or other serializable runnable on a worker; the future completes when it has run. */
  public Future<Void> run(SerializableRunnable task) {
    return send(TaskKind.RUNNABLE, task);
  }

  /**
   * Runs a runnable on a worker. Its class must implement {@link Serializable}.
   *
   * @throws TaskNotSerializableException when it does not
   */
  public Future<Void> runRunnable(Runnable task) {
    return send(TaskKind.RUNNABLE, task);
  }

  /**
   * Cancels a task submitted through this client, with the meaning of
   * {@link java.util.concurrent.Future#cancel(boolean)}: unless it has completed, its future fails with a
   * {@link java.util.concurrent.CancellationException} and the task is dropped wherever it waits (in this
   * client or in the server's queue; it never runs). A task already running on a worker has its thread
   * interrupted if {@code mayInterruptIfRunning}, and otherwise runs to its end; either way its result is
   * discarded.
   *
   * @param task a future returned by this client
   * @return a future of true if the task was cancelled, false if it had completed already (or is not this
   *     client's)
   */
  public Future<Boolean> cancel(Future<?> task, boolean mayInterruptIfRunning) {
    return connection.cancel(task, mayInterruptIfRunning);
  }

  /**
   * Sets the handler told of each progress report a running task makes ({@link io.antpool.TaskContext}), with
   * the future this client returned for the task; null removes it. As every callback of this client, it runs on
   * the client's context and must not block. At most one report per task every 250 ms, the latest, and the
   * task's last report before its result; broadcasts report none. See {@link AntPoolExecutor#setProgressListener}
   * for task counts.
   */
  public void progressHandler(BiConsumer<? super Future<?>, ? super TaskProgress> handler) {
    connection.progressHandler(handler == null ? null : handler::accept);
  }

  private <T> Future<T> send(TaskKind kind, Object task) {
    return sendEncoded(kind, task, encode(task));
  }

  /** Serializes a task; the executor does it before taking its lock. */
  static byte[] encode(Object task) {
    if (task == null) {
      throw new NullPointerException("task is null");
    }
    return TaskCodec.encodeTask(task);
  }

  /** Queues a task already serialized by {@link #encode}. */
  <T> Future<T> sendEncoded(TaskKind kind, Object task, byte[] bytes) {
    return sendEncoded(kind, task, bytes, TaskOptions.NONE, null);
  }

  /** Queues a task already serialized, with routing options; a broadcast when {@code scope} is not null. */
  @SuppressWarnings("unchecked")
  <T> Future<T> sendEncoded(TaskKind kind, Object task, byte[] bytes, TaskOptions options, BroadcastScope scope) {
    ClassLoader loader = task instanceof CarriesUserCode carrier ? carrier.userClassLoader()
        : task.getClass().getClassLoader();
    return (Future<T>) connection.submit(kind, bytes, loader, options, scope);
  }

  /** The session id the server gave this client, or null before it connected. */
  public String sessionId() {
    return connection.sessionId();
  }

  /** Closes the connection; tasks not yet completed fail with {@code SHUTTING_DOWN}. */
  public Future<Void> close() {
    return connection.close();
  }

  ClientConnection connection() {
    return connection;
  }
}
