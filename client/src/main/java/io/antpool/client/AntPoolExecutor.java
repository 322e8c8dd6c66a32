package io.antpool.client;

import io.antpool.SerializableCallable;
import io.antpool.SerializableFunction;
import io.antpool.SerializableRunnable;
import io.antpool.TaskProgress;
import io.antpool.config.NativeTransport;
import io.antpool.TaskNotSerializableException;
import io.antpool.client.impl.CompletionOrder;
import io.antpool.client.impl.CompletionRelay;
import io.antpool.client.impl.MapChunk;
import io.antpool.client.impl.OrderedResults;
import io.antpool.client.impl.ProgressNotifier;
import io.antpool.client.impl.RemoteTask;
import io.antpool.client.impl.TaskFuture;
import io.antpool.protocol.BroadcastScope;
import io.antpool.protocol.TaskKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ExecutorService} whose tasks run on the workers of an AntPool server.
 *
 * <pre>{@code
 * try (AntPoolExecutor pool = new AntPoolExecutor("ws://10.0.0.5:8086")) {
 *   Future<Long> f = pool.submit(() -> sum(1, 1_000_000));
 *   System.out.println(f.get());
 * }
 * }</pre>
 *
 * <h2>Tasks</h2>
 * A task travels by Java serialization: a class implementing {@link Serializable}, or a lambda passed where
 * {@link SerializableCallable} or {@link SerializableRunnable} is expected (the overloads here make
 * {@code submit(() -> ...)} serializable). Its classes need not exist on the workers: they are fetched from
 * this JVM's class path as the task runs. A task that cannot be serialized is refused at once with a
 * {@link TaskNotSerializableException} naming the culprit.
 *
 * <h2>Futures</h2>
 * Futures are {@link CompletableFuture}s. A task's exception arrives as the cause of the
 * {@link ExecutionException}, with its original type when this JVM has the class (else a
 * {@link io.antpool.RemoteTaskException}) and the remote stack trace. Futures complete, and run their
 * dependent actions, on AntPool's completion threads ({@code antpool-completion-N}, daemon threads that come
 * and go as needed), never on a network thread; a dependent action that blocks holds only its own thread.
 *
 * <h2>Cancellation</h2>
 * A future's {@code cancel} reaches the task, with the meaning {@link java.util.concurrent.FutureTask} gives
 * it. A task still waiting (in this JVM or in the server's queue) is dropped and never runs, whatever the
 * argument. A task running on a worker has its thread interrupted by {@code cancel(true)}, and the worker's
 * slot takes the next task as soon as the task ends (at once for a task that honours interruption);
 * {@code cancel(false)} does not interrupt it, and it runs to its end. Either way the future is cancelled at
 * once: {@code cancel} returns true only if the future was not done yet, {@code isCancelled()} and
 * {@code isDone()} are true afterwards, {@code get()} throws {@link CancellationException}, and what the task
 * returns or throws later is discarded. Cancelling a dependent future ({@code thenApply} and the like) does not
 * reach the task.
 *
 * <h2>Life cycle</h2>
 * RUNNING: accepts tasks. {@link #shutdown()} moves to SHUTDOWN: new tasks are rejected with
 * {@link RejectedExecutionException}, submitted ones still run. {@link #shutdownNow()} moves to STOP: tasks
 * not yet sent to the server are cancelled and returned. Once no task is outstanding after SHUTDOWN or STOP,
 * the connection closes and the executor is TERMINATED. {@link #close()} is {@code shutdown()} plus waiting
 * for termination.
 *
 * <h2>Routing</h2>
 * Workers carry tags ({@code antpool worker --tag region=eu --tag gpu}). A task runs only on a worker carrying
 * every tag it requires: the executor's ({@link AntPoolOptions#setRequiredTags}) plus the task's own
 * ({@link #submit(SerializableCallable, TaskOptions)}). A task no connected worker can run waits in the
 * server's queue until one joins, without holding up other tasks. {@link AntPoolOptions#setSpread} (or
 * {@link TaskOptions#withSpread}) places tasks on as many distinct hosts as have free slots.
 * {@link #broadcast} runs a task once on every worker slot (or {@link #broadcastPerHost}, every host).
 *
 * <h2>Progress</h2>
 * A {@link ProgressListener} ({@link #setProgressListener}) is told how many tasks were submitted, completed and
 * failed, and what running tasks report of their progress ({@link io.antpool.TaskContext}); {@link #taskCounts}
 * gives the figures now, and {@link #progress} a future's latest report.
 *
 * <p>At most {@code maxWorkers} tasks are in flight to the server at once; the others wait in this JVM. At most
 * {@code maxPending} tasks (default 100,000) may be not completed yet: beyond, {@code submit} blocks until one
 * completes ({@link AntPoolOptions#setMaxPending}).
 */
public class AntPoolExecutor extends AbstractExecutorService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AntPoolExecutor.class);

  private enum RunState { RUNNING, SHUTDOWN, STOP, TERMINATED }

  /** How long {@link #shutdownNow()} waits for the server to say which of the tasks it queued never started. */
  private static final long WITHDRAW_MILLIS = 5_000;

  /**
   * Where futures complete when no thread waits in get or join for them ({@link TaskFuture#settle}). Unbounded
   * and shared by all executors of this JVM, so that a dependent action that blocks on another AntPool future
   * cannot starve the completion of that future (as it could on the common pool, which has one thread on a
   * two-core machine).
   */
  private static final ExecutorService COMPLETIONS = Executors.newCachedThreadPool(daemons("antpool-completion-"));

  /**
   * How long queued completions may wait while no completion thread takes one (all of them busy in, or blocked
   * by, a dependent action) before another thread joins in.
   */
  private static final long COMPLETION_STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /**
   * How long a completion thread that ran out of completions waits for the next before it goes back to
   * {@link #COMPLETIONS}: while results keep coming, the network thread wakes it instead of handing a new runner
   * to the pool for every burst.
   */
  private static final long COMPLETION_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /**
   * Where each task's future completes: on {@link #COMPLETIONS}' threads, as few of them as keep up taking the
   * completions in turn, rather than one thread woken per task (see {@link CompletionRelay}).
   */
  private static final CompletionRelay RELAY = new CompletionRelay(COMPLETIONS,
      Executors.newSingleThreadScheduledExecutor(daemons("antpool-completion-watch-")), COMPLETION_STALL_NANOS,
      COMPLETION_LINGER_NANOS, System::nanoTime);

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final AntPoolClient client;
  private final Object lock = new Object();
  /**
   * Every task sent and not settled: its connection future, the task as given, and the future returned. Changed
   * under {@link #lock}; concurrent so that the network thread can find a task's future for its progress
   * without the lock (Vert.x futures are equal by identity only).
   */
  private final Map<Future<Object>, Outstanding> outstanding = new ConcurrentHashMap<>();

  private record Outstanding(Object task, TaskFuture<?> result) {
  }
  private final ProgressNotifier progress;
  private final CountDownLatch terminated = new CountDownLatch(1);
  private RunState state = RunState.RUNNING;
  /** Permits for tasks not completed yet: {@link AntPoolOptions#getMaxPending()} of them. */
  private final Semaphore room;
  private final int maxPending;

  /** Connects to the server at {@code url} ({@code ws://host:port}) with default options. */
  public AntPoolExecutor(String url) {
    this(new AntPoolOptions().setUrl(url));
  }

  /** The seed's form: server, tasks in flight at once, isolation mode ({@link AntPoolOptions#setRtype}). */
  public AntPoolExecutor(String url, int maxWorkers, int rtype) {
    this(new AntPoolOptions().setUrl(url).setMaxWorkers(maxWorkers).setRtype(rtype));
  }

  /** The seed's form with credentials, for servers that require them. */
  public AntPoolExecutor(String url, int maxWorkers, int rtype, String user, String password) {
    this(new AntPoolOptions().setUrl(url).setMaxWorkers(maxWorkers).setRtype(rtype).setUser(user)
        .setPassword(password));
  }

  /**
   * Connects with the given options, on a Vert.x instance of its own, on Netty's native transport where it loads
   * ({@link NativeTransport}; {@code -Dantpool.nativeTransport=false} turns it off).
   */
  public AntPoolExecutor(AntPoolOptions options) {
    this(NativeTransport.vertx(), true, options);
  }

  /** Connects with the given options on an existing Vert.x instance, which stays open when this one ends. */
  public AntPoolExecutor(Vertx vertx, AntPoolOptions options) {
    this(vertx, false, options);
  }

  private AntPoolExecutor(Vertx vertx, boolean ownsVertx, AntPoolOptions options) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.maxPending = options.getMaxPending();
    this.room = new Semaphore(maxPending);
    this.client = AntPoolClient.create(vertx, options);
    this.progress = new ProgressNotifier(COMPLETIONS, System::nanoTime,
        (delayMillis, action) -> vertx.setTimer(delayMillis, t -> action.run()));
    // on the network thread: the future's field now, before the result can complete it; the listener later
    client.connection().progressHandler((remote, report) -> {
      Outstanding task = outstanding.get(remote); // put right after sending: long before a worker can report
      if (task != null) {
        task.result().reported(report);
        progress.taskProgress(task.result(), report);
      }
    });
  }

  // ---- progress ---------------------------------------------------------------------------------------

  /**
   * Sets the listener told of this executor's task figures and of its tasks' progress reports (see
   * {@link ProgressListener} for which thread, and how often); null removes it. A new listener is told the current
   * figures at once.
   */
  public void setProgressListener(ProgressListener listener) {
    progress.listener(listener);
  }

  /**
   * This executor's task figures now: what {@link ProgressListener#counts} is told, without its delay. A task is
   * counted as ended before its future completes (a cancelled one, just after {@code cancel}).
   */
  public TaskCounts taskCounts() {
    return progress.counts();
  }

  /**
   * The latest progress the task of {@code future} reported ({@link io.antpool.TaskContext}), or null: it has
   * reported none, or {@code future} is not one this executor returned (a dependent future from
   * {@code thenApply} and the like is not). The last report a task makes is there by the time its future
   * completes.
   */
  public TaskProgress progress(java.util.concurrent.Future<?> future) {
    return future instanceof TaskFuture<?> task ? task.progress() : null;
  }

  // ---- submitting -------------------------------------------------------------------------------------

  /** Runs a lambda (or any serializable callable) on a worker. */
  public <T> CompletableFuture<T> submit(SerializableCallable<T> task) {
    return track(task, TaskKind.CALLABLE, null);
  }

  /**
   * Runs a lambda on a worker chosen with {@code options} on top of the executor's {@link AntPoolOptions}:
   * only a worker carrying every required tag runs it. A task no connected worker can run is not an error: it
   * waits in the server's queue until such a worker joins (the server logs the missing tags once), and tasks
   * behind it still run elsewhere.
   */
  public <T> CompletableFuture<T> submit(SerializableCallable<T> task, TaskOptions options) {
    return track(task, TaskKind.CALLABLE, null, Objects.requireNonNull(options, "options"), null);
  }

  /**
   * As {@link #invokeAll(Collection)}, every task routed with {@code options}; e.g.
   * {@code invokeAll(pages, TaskOptions.NONE.withSpread(true))} to crawl from as many hosts as are available.
   */
  public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks,
      TaskOptions options) throws InterruptedException {
    Objects.requireNonNull(options, "options");
    return awaitAll(submitAll(tasks, t -> track(t, TaskKind.CALLABLE, null, options, null)));
  }

  /**
   * Runs {@code task} once on every worker slot connected when the server receives it (those carrying the
   * executor's required tags), as Ignite's {@code broadcast}: a worker JVM with N slots runs it N times. The
   * future completes once every target has answered, with one {@link WorkerResult} per slot naming the worker:
   * the value, or what the task threw there. A worker that leaves before answering gives a
   * {@link io.antpool.WorkerLostException} entry; its part is not rerun elsewhere. Workers that join later are
   * not targets. With no worker connected, the list is empty. Cancelling the future cancels every part.
   *
   * @throws RejectedExecutionException after shutdown
   */
  public <T> CompletableFuture<List<WorkerResult<T>>> broadcast(SerializableCallable<T> task) {
    return track(task, TaskKind.CALLABLE, null, TaskOptions.NONE, BroadcastScope.SLOTS);
  }

  /** As {@link #broadcast}, with {@code options} (required tags) on top of the executor's. */
  public <T> CompletableFuture<List<WorkerResult<T>>> broadcast(SerializableCallable<T> task, TaskOptions options) {
    return track(task, TaskKind.CALLABLE, null, Objects.requireNonNull(options, "options"), BroadcastScope.SLOTS);
  }

  /**
   * As {@link #broadcast}, but once per host (remote IP address as the server sees it) rather than per slot: the
   * server picks one slot of each host, a free one if it has any.
   */
  public <T> CompletableFuture<List<WorkerResult<T>>> broadcastPerHost(SerializableCallable<T> task) {
    return track(task, TaskKind.CALLABLE, null, TaskOptions.NONE, BroadcastScope.HOSTS);
  }

  /**
   * Runs a callable on a worker.
   *
   * @throws TaskNotSerializableException if the task is not {@link Serializable}; pass a lambda to
   *     {@link #submit(SerializableCallable)} instead
   * @throws RejectedExecutionException after shutdown
   */
  @Override
  public <T> CompletableFuture<T> submit(Callable<T> task) {
    return track(task, TaskKind.CALLABLE, null);
  }

  /** Runs a lambda (or any serializable runnable) on a worker; the future's value is null. */
  public CompletableFuture<?> submit(SerializableRunnable task) {
    return track(task, TaskKind.RUNNABLE, null);
  }

  /** Runs a lambda (or any serializable runnable) on a worker; the future's value is {@code result}. */
  public <T> CompletableFuture<T> submit(SerializableRunnable task, T result) {
    return track(task, TaskKind.RUNNABLE, result);
  }

  /** Runs a serializable runnable on a worker; the future's value is null. */
  @Override
  public CompletableFuture<?> submit(Runnable task) {
    return track(task, TaskKind.RUNNABLE, null);
  }

  /** Runs a serializable runnable on a worker; the future's value is {@code result}. */
  @Override
  public <T> CompletableFuture<T> submit(Runnable task, T result) {
    return track(task, TaskKind.RUNNABLE, result);
  }

  /**
   * Runs a serializable runnable on a worker; a failure is logged, as nobody holds its future. A task that
   * {@link java.util.concurrent.ExecutorCompletionService} wraps around a future from {@link #newTaskFor} is
   * recognised: the wrapped task goes to the pool, and the wrapper runs here once its result is in.
   */
  @Override
  public void execute(Runnable task) {
    RemoteTask<?> wrapped = WRAPPING.get();
    WRAPPING.remove();
    if (wrapped != null && task instanceof java.util.concurrent.RunnableFuture) {
      start(wrapped, task);
      return;
    }
    submit(task).whenComplete((v, e) -> {
      if (e != null) {
        log.warn("task {} submitted with execute() failed", task.getClass().getName(), e);
      }
    });
  }

  /**
   * Applies {@code fn} to every item on the workers, like {@code Stream.map} but remote, and returns the
   * results in the order of the items: {@code map(fn, items, 1)}.
   */
  public <T, R> Stream<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
    return map(fn, items, 1);
  }

  /**
   * As Python's {@code Executor.map(fn, items, chunksize=chunksize)}: every item is submitted at once (the
   * items are read here), {@code chunksize} consecutive items per task, so that small items cost one task
   * message per chunk rather than per item; the stream returns the results in the order of the items, each
   * waited for only when the stream reaches it. A failed item makes the stream throw a
   * {@link CompletionException} carrying the task's exception when it reaches the first item of that chunk; the
   * other chunks still running are then cancelled. Closing the stream early (try-with-resources) cancels what
   * is still running, on the workers too.
   *
   * @throws IllegalArgumentException if {@code chunksize} is less than 1
   * @throws RejectedExecutionException after shutdown (nothing is submitted)
   */
  public <T, R> Stream<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
      int chunksize) {
    return map(fn, items, chunksize, null, null);
  }

  /**
   * As {@link #map(SerializableFunction, Iterable, int)}, bounded as Python's {@code timeout}: when a result
   * is not in by {@code timeout} after this call, the stream throws a {@link CompletionException} carrying a
   * {@link TimeoutException} as it reaches that result, and every task still running is cancelled.
   */
  public <T, R> Stream<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
      long timeout, TimeUnit unit, int chunksize) {
    Objects.requireNonNull(unit, "unit");
    return map(fn, items, chunksize, System.nanoTime() + unit.toNanos(timeout), timeout + " " + unit);
  }

  private <T, R> Stream<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
      int chunksize, Long deadlineNanos, String timeoutText) {
    rejectIfShutDown();
    List<CompletableFuture<List<R>>> chunks = new ArrayList<>();
    try {
      MapChunk.<T, R, CompletableFuture<List<R>>>submitAll(fn, items, chunksize, c -> submit(c), chunks);
    } catch (RuntimeException e) {
      chunks.forEach(c -> c.cancel(true)); // a map is submitted whole or not at all
      throw e;
    }
    return OrderedResults.of(chunks, deadlineNanos, timeoutText);
  }

  /**
   * The futures in the order they complete, as Python's {@code concurrent.futures.as_completed}: those already
   * done first, then each as it settles (with a value, an exception or a cancellation); the stream blocks
   * while it waits for the next.
   */
  public static <F extends CompletableFuture<?>> Stream<F> asCompleted(Collection<F> futures) {
    return CompletionOrder.of(List.copyOf(futures), null, null);
  }

  /**
   * As {@link #asCompleted(Collection)}, bounded: reaching for the next future later than {@code timeout} after
   * this call throws a {@link CompletionException} carrying a {@link TimeoutException}.
   */
  public static <F extends CompletableFuture<?>> Stream<F> asCompleted(Collection<F> futures, long timeout,
      TimeUnit unit) {
    return CompletionOrder.of(List.copyOf(futures), System.nanoTime() + unit.toNanos(timeout),
        timeout + " " + unit);
  }

  /**
   * Serializes a task (outside the lock, so submitting threads do not queue behind each other's
   * serialization), sends it, and tracks it until it settles. The remote future is kept as sent, so
   * {@link #shutdownNow()} can find the task of a future the connection cancelled.
   *
   * @param fixedResult for runnables submitted with a result, that result; null to pass the value through
   */
  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> track(Object task, TaskKind kind, T fixedResult) {
    return track(task, kind, fixedResult, TaskOptions.NONE, null);
  }

  /** As {@link #track(Object, TaskKind, Object)}, routed with {@code options}; a broadcast if {@code scope}. */
  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> track(Object task, TaskKind kind, T fixedResult, TaskOptions options,
      BroadcastScope scope) {
    Objects.requireNonNull(task, "task");
    rejectIfShutDown();
    byte[] bytes = AntPoolClient.encode(task);
    awaitRoom();
    Future<Object> remote;
    TaskFuture<T> result;
    synchronized (lock) {
      try {
        rejectIfShutDown();
      } catch (RejectedExecutionException e) {
        room.release();
        throw e;
      }
      progress.submitted(); // counted before it can settle
      remote = client.sendEncoded(kind, task, bytes, options, scope);
      result = new TaskFuture<>(interrupt -> client.cancel(remote, interrupt));
      outstanding.put(remote, new Outstanding(task, result));
    }
    remote.onComplete(ar -> result.settle(() -> {
      progress.settled(ar.succeeded()); // counted before anyone sees the future complete
      if (ar.succeeded()) {
        result.complete(fixedResult != null ? fixedResult : (T) ar.result());
      } else if (ar.cause() instanceof CancellationException c) {
        result.completeExceptionally(c); // cancelled in the connection: the future reports it as cancelled
      } else {
        result.completeExceptionally(ar.cause());
      }
      settled(remote);
    }, RELAY));
    return result;
  }

  /**
   * Blocks while {@link AntPoolOptions#getMaxPending()} tasks of this executor have not completed; a permit is
   * given back as each task settles.
   *
   * @throws RejectedExecutionException if interrupted while waiting (the interrupt status is kept)
   */
  private void awaitRoom() {
    if (room.tryAcquire()) {
      return;
    }
    try {
      room.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RejectedExecutionException("interrupted while waiting for one of the " + maxPending
          + " pending tasks of this executor to complete (AntPoolOptions.maxPending); the task was not submitted");
    }
  }

  private void rejectIfShutDown() {
    synchronized (lock) {
      if (state != RunState.RUNNING) {
        throw new RejectedExecutionException("this AntPoolExecutor is shut down (" + state
            + "); create a new one to submit more tasks");
      }
    }
  }

  private void settled(Future<Object> remote) {
    room.release();
    boolean idle;
    boolean last;
    synchronized (lock) {
      outstanding.remove(remote);
      idle = outstanding.isEmpty();
      last = state != RunState.RUNNING && idle;
    }
    if (idle) {
      progress.idle();
    }
    if (last) {
      terminate();
    }
  }

  // ---- life cycle -------------------------------------------------------------------------------------

  @Override
  public void shutdown() {
    boolean idle;
    synchronized (lock) {
      if (state == RunState.RUNNING) {
        state = RunState.SHUTDOWN;
      }
      idle = outstanding.isEmpty();
    }
    if (idle) {
      terminate();
    }
  }

  /**
   * Stops accepting tasks, withdraws those that have not started (waiting in this JVM or queued on the server)
   * and returns them; their futures are cancelled. Tasks running on workers are interrupted, as a
   * {@code ThreadPoolExecutor} interrupts its threads, and their futures complete as the tasks end. Waits at
   * most {@value #WITHDRAW_MILLIS} ms for the server's answer; without it, only the tasks waiting in this JVM
   * are returned.
   */
  @Override
  public List<Runnable> shutdownNow() {
    Map<Future<Object>, Outstanding> snapshot;
    synchronized (lock) {
      if (state == RunState.RUNNING || state == RunState.SHUTDOWN) {
        state = RunState.STOP;
      }
      // No task can be added from now on; the cancelled ones leave 'outstanding' as their futures settle, so
      // they are looked up in this copy.
      snapshot = new IdentityHashMap<>(outstanding);
    }
    List<Future<Object>> removed;
    try {
      removed = client.connection().withdraw(WITHDRAW_MILLIS).toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      removed = List.of();
    } catch (ExecutionException e) {
      removed = List.of();
    }
    List<Runnable> neverStarted = new ArrayList<>();
    for (Future<Object> f : removed) {
      Outstanding pending = snapshot.get(f);
      if (pending == null) {
        continue;
      }
      // cancelled before this returns, not only once the completion thread gets to it
      pending.result().completeExceptionally(new CancellationException("withdrawn by shutdownNow before it"
          + " started"));
      if (pending.task() instanceof Runnable r) {
        neverStarted.add(r);
      } else if (pending.task() instanceof Callable<?> c) {
        neverStarted.add(() -> {
          try {
            c.call();
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        });
      }
    }
    shutdown();
    return neverStarted;
  }

  private void terminate() {
    synchronized (lock) {
      if (state == RunState.TERMINATED) {
        return;
      }
      state = RunState.TERMINATED;
    }
    CompletableFuture<Void> toldListener = progress.close(); // its last call is over before termination
    client.close().transform(ar -> ownsVertx ? vertx.close() : Future.succeededFuture())
        .onComplete(ar -> toldListener.whenComplete((v, e) -> terminated.countDown()));
  }

  @Override
  public boolean isShutdown() {
    synchronized (lock) {
      return state != RunState.RUNNING;
    }
  }

  @Override
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  /**
   * @throws IllegalStateException when called by this executor's progress listener: termination waits for the
   *     listener's last call, so it would wait for itself
   */
  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    if (progress.onListenerThread() && !isTerminated()) {
      throw new IllegalStateException("a progress listener may not wait for its executor's termination (close(),"
          + " awaitTermination()): termination waits for the listener's last call. Call shutdown() instead, and"
          + " wait elsewhere");
    }
    return terminated.await(timeout, unit);
  }

  /**
   * Shuts down and waits until every submitted task has completed and the connection is closed. If
   * interrupted while waiting, calls {@link #shutdownNow()}, keeps waiting, and restores the interrupt status,
   * as {@code ExecutorService.close()} does in recent JDKs.
   */
  @Override
  public void close() {
    shutdown();
    boolean interrupted = false;
    while (!isTerminated()) {
      try {
        awaitTermination(1, TimeUnit.DAYS);
      } catch (InterruptedException e) {
        if (!interrupted) {
          shutdownNow();
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- completion services ----------------------------------------------------------------------------

  private <T> void start(RemoteTask<T> wrapped, Runnable wrapper) {
    wrapped.start(t -> t instanceof Callable<?> c ? submit(c) : submit((Runnable) t, wrapped.value()), wrapper,
        COMPLETIONS);
  }

  /** The future {@link #newTaskFor} made last on this thread, until {@link #execute} receives its wrapper. */
  private static final ThreadLocal<RemoteTask<?>> WRAPPING = new ThreadLocal<>();

  /**
   * A future for {@link java.util.concurrent.ExecutorCompletionService}, which wraps it and hands the wrapper to
   * {@link #execute}: the task then runs on a worker, and the future completes with its outcome.
   */
  @Override
  protected <T> java.util.concurrent.RunnableFuture<T> newTaskFor(Callable<T> callable) {
    RemoteTask<T> task = new RemoteTask<>(Objects.requireNonNull(callable, "task"), null);
    WRAPPING.set(task);
    return task;
  }

  /** As {@link #newTaskFor(Callable)}, for a runnable whose future's value is {@code value}. */
  @Override
  protected <T> java.util.concurrent.RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
    RemoteTask<T> task = new RemoteTask<>(Objects.requireNonNull(runnable, "task"), value);
    WRAPPING.set(task);
    return task;
  }

  // ---- bulk -------------------------------------------------------------------------------------------

  @Override
  public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
      throws InterruptedException {
    return awaitAll(submitAll(tasks, this::submit));
  }

  private static <T> List<java.util.concurrent.Future<T>> submitAll(Collection<? extends Callable<T>> tasks,
      java.util.function.Function<Callable<T>, CompletableFuture<T>> submitter) {
    List<java.util.concurrent.Future<T>> futures = new ArrayList<>(tasks.size());
    for (Callable<T> task : tasks) {
      futures.add(submitter.apply(task));
    }
    return futures;
  }

  /** Waits for every future, as invokeAll does; on interruption cancels them all. */
  private static <T> List<java.util.concurrent.Future<T>> awaitAll(List<java.util.concurrent.Future<T>> futures)
      throws InterruptedException {
    try {
      for (java.util.concurrent.Future<T> f : futures) {
        try {
          f.get();
        } catch (ExecutionException | CancellationException ignored) {
          // reported through the future itself
        }
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      throw e;
    }
    return futures;
  }

  /** As {@link ExecutorService#invokeAll(Collection, long, TimeUnit)}: tasks not done at the deadline are cancelled. */
  @Override
  public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout,
      TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    List<java.util.concurrent.Future<T>> futures = submitAll(tasks, this::submit);
    try {
      for (java.util.concurrent.Future<T> f : futures) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          f.get(left, TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CancellationException | TimeoutException ignored) {
          // reported through the future itself; a timeout is handled below
        }
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      throw e;
    }
    futures.stream().filter(f -> !f.isDone()).forEach(f -> f.cancel(true));
    return futures;
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
    try {
      return doInvokeAny(tasks, Long.MAX_VALUE);
    } catch (TimeoutException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return doInvokeAny(tasks, unit.toNanos(timeout));
  }

  private <T> T doInvokeAny(Collection<? extends Callable<T>> tasks, long timeoutNanos)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("invokeAny needs at least one task");
    }
    CompletableFuture<T> first = new CompletableFuture<>();
    AtomicInteger failuresLeft = new AtomicInteger(tasks.size());
    List<CompletableFuture<T>> futures = new ArrayList<>(tasks.size());
    for (Callable<T> task : tasks) {
      CompletableFuture<T> f = submit(task);
      futures.add(f);
      f.whenComplete((v, e) -> {
        if (e == null) {
          first.complete(v);
        } else if (failuresLeft.decrementAndGet() == 0) {
          first.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
        }
      });
    }
    try {
      return timeoutNanos == Long.MAX_VALUE ? first.get() : first.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } finally {
      futures.forEach(f -> f.cancel(true));
    }
  }
}
