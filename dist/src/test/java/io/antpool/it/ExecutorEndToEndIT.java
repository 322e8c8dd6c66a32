package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.AntPoolException;
import io.antpool.SerializableCallable;
import io.antpool.TaskOrigin;
import io.antpool.TaskNotSerializableException;
import io.antpool.client.AntPoolClient;
import io.antpool.client.AntPoolExecutor;
import io.antpool.client.AntPoolOptions;
import io.antpool.protocol.ErrorCode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole path in real processes: a server JVM and two worker JVMs (class path: antpool.jar only) started
 * from the built jar, and this JVM submitting through {@link AntPoolExecutor}. Every task's classes reach the
 * workers through AntPool's class shipping.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ExecutorEndToEndIT {
  private static ChildJvm server;
  private static SharedPool shared;
  private static AntPoolExecutor pool;

  @BeforeAll
  static void startPool() throws Exception {
    shared = SharedPool.start(1, 1);
    server = shared.server;
    pool = shared.executor;
  }

  @AfterAll
  static void stopPool() {
    if (shared != null) {
      shared.close();
      assertTrue(pool.isTerminated(), "close() returns only once the executor is terminated");
    }
  }

  @Test
  void twoHundredTasksAllComputedOnBothWorkers() throws Exception {
    long before = tasksRunPerWorker().values().stream().mapToLong(Long::longValue).sum();
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      long x = i;
      futures.add(pool.submit(() -> x * x + 1));
    }
    for (int i = 0; i < 200; i++) {
      assertEquals((long) i * i + 1, futures.get(i).get(60, TimeUnit.SECONDS), "task " + i);
    }
    java.util.Map<String, Long> perWorker = tasksRunPerWorker();
    assertEquals(2, perWorker.size(), "two worker slots connected: " + perWorker);
    assertEquals(before + 200, perWorker.values().stream().mapToLong(Long::longValue).sum(),
        "the workers ran exactly the 200 tasks: " + perWorker);
    perWorker.forEach((name, run) -> assertTrue(run > 0, "worker " + name + " ran no task: " + perWorker));
  }

  private static java.util.Set<String> workerNames() throws Exception {
    return tasksRunPerWorker().keySet();
  }

  private static java.util.Map<String, Long> tasksRunPerWorker() throws Exception {
    JsonArray workers = Pool.status(server).getJsonArray("workers");
    return workers.stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(w -> w.getString("name"), w -> w.getLong("tasksRun")));
  }

  @Test
  void tasksRunInAnotherJvmWhoseClassPathLacksTheTestClasses() throws Exception {
    String testClass = ExecutorEndToEndIT.class.getName();
    long myPid = ProcessHandle.current().pid();
    CompletableFuture<String> probe = pool.submit(() -> {
      String pid = ManagementFactory.getRuntimeMXBean().getName();
      try {
        Class.forName(testClass, false, ClassLoader.getSystemClassLoader());
        return pid + " has " + testClass;
      } catch (ClassNotFoundException e) {
        return pid + " lacks test classes";
      }
    });
    String answer = probe.get(60, TimeUnit.SECONDS);
    assertTrue(answer.endsWith("lacks test classes"), answer);
    assertFalse(answer.startsWith(myPid + "@"), "the task ran in this JVM: " + answer);
  }

  /** An exception type that exists only on this client's class path. */
  static final class QuotaExceededException extends Exception {
    private static final long serialVersionUID = 1L;
    final int quota;

    QuotaExceededException(String message, int quota) {
      super(message);
      this.quota = quota;
    }
  }

  @Test
  void aTaskThatThrowsFailsWithTheOriginalTypeMessageAndRemoteTrace() throws Exception {
    Future<Integer> f = pool.submit((SerializableCallable<Integer>) () -> {
      throw new IllegalArgumentException("bad input 42");
    });
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
    IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertEquals("bad input 42", cause.getMessage());
    assertTrue(Arrays.stream(cause.getStackTrace()).anyMatch(el -> el.getClassName().equals(getClass().getName())),
        "the remote stack trace shows the lambda in this test class: " + Arrays.toString(cause.getStackTrace()));
    assertTrue(Arrays.stream(cause.getStackTrace()).anyMatch(el -> el.getClassName().startsWith("io.antpool.worker")),
        "the stack trace is the worker's: " + Arrays.toString(cause.getStackTrace()));
    String worker = TaskOrigin.workerOf(cause).orElseThrow();
    assertTrue(workerNames().contains(worker), "the exception names the worker that ran the task: " + worker
        + " among " + workerNames());

    Future<Integer> custom = pool.submit((SerializableCallable<Integer>) () -> {
      throw new QuotaExceededException("quota of 7 exceeded", 7);
    });
    ExecutionException e2 = assertThrows(ExecutionException.class, () -> custom.get(60, TimeUnit.SECONDS));
    QuotaExceededException q = assertInstanceOf(QuotaExceededException.class, e2.getCause());
    assertEquals(7, q.quota);
    assertEquals("quota of 7 exceeded", q.getMessage());
  }

  /** A user type that exists only here, used as argument and result. */
  record Point(int x, int y) implements Serializable {
    Point plus(Point o) {
      return new Point(x + o.x, y + o.y);
    }
  }

  /** A top-level-style task class (static nested), not a lambda. */
  static final class AddPoints implements Callable<Point>, Serializable {
    private static final long serialVersionUID = 1L;
    private final Point a;
    private final Point b;

    AddPoints(Point a, Point b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public Point call() {
      return a.plus(b);
    }
  }

  @Test
  void userClassesTravelBothWays() throws Exception {
    Point sum = pool.submit(new AddPoints(new Point(1, 2), new Point(30, 40))).get(60, TimeUnit.SECONDS);
    assertEquals(new Point(31, 42), sum);
    assertEquals(Point.class, sum.getClass(), "the result is rebuilt as this JVM's own class");

    String fromAnonymous = pool.submit(anonymousTask()).get(60, TimeUnit.SECONDS);
    assertTrue(fromAnonymous.startsWith("anonymous antpool-task-"),
        "runs in a task class loader on the worker: " + fromAnonymous);
  }

  /** Made in a static method: an anonymous class in an instance method would capture the test instance. */
  private static Callable<String> anonymousTask() {
    return new SerializableCallable<>() {
      @Override
      public String call() {
        return "anonymous " + getClass().getClassLoader().getName();
      }
    };
  }

  @Test
  void anAnonymousClassCapturingItsEnclosingObjectIsRefusedNamingIt() {
    Callable<String> capturing = new SerializableCallable<>() {
      @Override
      public String call() {
        return "never runs";
      }
    };
    TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class, () -> pool.submit(capturing));
    assertTrue(e.getMessage().contains("class " + getClass().getName() + ", captured by or reachable from task"),
        e.getMessage());
  }

  @Test
  void runnablesCompleteWithTheGivenResult() throws Exception {
    assertEquals("done", pool.submit(() -> { }, "done").get(60, TimeUnit.SECONDS));
    assertEquals(null, pool.submit((io.antpool.SerializableRunnable) () -> { }).get(60, TimeUnit.SECONDS));
  }

  @Test
  void aTaskThatCannotBeSerializedIsRefusedAtSubmitWithTheFix() {
    Callable<Integer> notSerializable = new Callable<>() {
      @Override
      public Integer call() {
        return 1;
      }
    };
    TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
        () -> pool.submit(notSerializable));
    assertTrue(e.getMessage().contains(notSerializable.getClass().getName()), e.getMessage());
    assertTrue(e.getMessage().contains("SerializableCallable"), e.getMessage());
  }

  @Test
  void aDependentActionThatWaitsForAnotherTaskDoesNotStallCompletions() throws Exception {
    CompletableFuture<Integer> chained = pool.submit(() -> 1)
        .thenApply(one -> one + pool.submit(() -> 2).join())
        .thenApply(three -> three + pool.submit(() -> 4).join());
    assertEquals(7, chained.get(60, TimeUnit.SECONDS));
    assertTrue(pool.submit(() -> 0).thenApply(v -> Thread.currentThread().getName()).get(60, TimeUnit.SECONDS)
        .startsWith("antpool-completion-"), "futures complete on AntPool's completion threads");
  }

  @Test
  void shutdownRejectsNewTasksButFinishesSubmittedOnes() throws Exception {
    AntPoolExecutor executor = new AntPoolExecutor(Pool.url(server), 2, 0);
    List<CompletableFuture<Integer>> running = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int x = i;
      running.add(executor.submit(() -> {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        return x;
      }));
    }
    executor.shutdown();
    assertTrue(executor.isShutdown());
    java.util.concurrent.RejectedExecutionException rejected = assertThrows(
        java.util.concurrent.RejectedExecutionException.class, () -> executor.submit(() -> 1));
    assertTrue(rejected.getMessage().contains("shut down"), rejected.getMessage());
    assertTrue(executor.awaitTermination(60, TimeUnit.SECONDS));
    assertTrue(executor.isTerminated());
    for (int i = 0; i < 5; i++) {
      assertEquals(i, running.get(i).getNow(-1), "submitted before shutdown, so it ran");
    }
  }

  @Test
  void shutdownNowReturnsTheTasksThatNeverStartedAndCancelsTheirFutures() throws Exception {
    AntPoolExecutor executor = new AntPoolExecutor(Pool.url(server), 1, 0);
    List<CompletableFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int x = i;
      if (i % 2 == 0) {
        futures.add(executor.submit(() -> {
          java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
          return x;
        }));
      } else {
        futures.add(executor.submit(
            () -> java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300)), x));
      }
    }
    List<Runnable> neverStarted = executor.shutdownNow();
    assertTrue(executor.awaitTermination(60, TimeUnit.SECONDS));
    long cancelled = futures.stream().filter(CompletableFuture::isCancelled).count();
    assertEquals(neverStarted.size(), cancelled, "each returned task's future is cancelled");
    assertTrue(cancelled >= 4, "with one task in flight at most two had left the client: " + cancelled);
    futures.stream().filter(f -> !f.isCancelled()).forEach(f -> assertTrue(f.isDone()));
  }

  @Test
  void mapReturnsResultsInInputOrder() {
    List<Integer> items = IntStream.rangeClosed(1, 50).boxed().toList();
    List<Integer> tripled = pool.map((Integer x) -> x * 3, items).toList();
    assertEquals(items.stream().map(x -> x * 3).toList(), tripled);
  }

  @Test
  void invokeAllAndInvokeAny() throws Exception {
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int x = i;
      tasks.add((SerializableCallable<Integer>) () -> x + 100);
    }
    List<Future<Integer>> all = pool.invokeAll(tasks);
    for (int i = 0; i < 10; i++) {
      assertTrue(all.get(i).isDone());
      assertEquals(i + 100, all.get(i).get());
    }
    List<Callable<Integer>> mostlyFailing = List.of(
        (SerializableCallable<Integer>) () -> {
          throw new IllegalStateException("first fails");
        },
        (SerializableCallable<Integer>) () -> 7);
    assertEquals(7, pool.invokeAny(mostlyFailing));
    ExecutionException none = assertThrows(ExecutionException.class, () -> pool.invokeAny(List.of(
        (SerializableCallable<Integer>) () -> {
          throw new IllegalStateException("all fail");
        })));
    assertInstanceOf(IllegalStateException.class, none.getCause());
  }

  @Test
  void rtypeTwoKeepsOneLoaderPerSessionAndZeroGivesEachTaskAFreshOne() throws Exception {
    try (AntPoolExecutor shared = new AntPoolExecutor(new AntPoolOptions().setUrl(Pool.url(server))
        .setMaxWorkers(1).setRtype(2))) {
      String first = shared.submit(() -> Counter.next() + "@" + Counter.class.getClassLoader().getName())
          .get(60, TimeUnit.SECONDS);
      String second = shared.submit(() -> Counter.next() + "@" + Counter.class.getClassLoader().getName())
          .get(60, TimeUnit.SECONDS);
      assertTrue(first.contains("@antpool-session-"), first);
      // One task in flight and every slot free at each dispatch: both go to the same (fastest, first-joined)
      // slot, whose session loader keeps Counter's static state.
      assertEquals(first.substring(first.indexOf('@')), second.substring(second.indexOf('@')));
      assertEquals(Integer.parseInt(first.substring(0, first.indexOf('@'))) + 1,
          Integer.parseInt(second.substring(0, second.indexOf('@'))), first + " then " + second);
    }
    String a = pool.submit(() -> Counter.next() + "@" + Counter.class.getClassLoader().getName())
        .get(60, TimeUnit.SECONDS);
    String b = pool.submit(() -> Counter.next() + "@" + Counter.class.getClassLoader().getName())
        .get(60, TimeUnit.SECONDS);
    assertTrue(a.startsWith("1@antpool-task-"), "mode 0: static state starts afresh: " + a);
    assertTrue(b.startsWith("1@antpool-task-"), "mode 0: static state starts afresh: " + b);
  }

  @Test
  void theReactiveClientCompletesOnTheContextItWasCreatedOn() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<String> seen = new CompletableFuture<>();
      String url = Pool.url(server);
      vertx.runOnContext(v -> {
        Context mine = Vertx.currentContext();
        AntPoolClient client = AntPoolClient.create(vertx, new AntPoolOptions().setUrl(url));
        client.submit(() -> 6 * 7).onComplete(ar -> {
          if (ar.failed()) {
            seen.completeExceptionally(ar.cause());
          } else {
            seen.complete(ar.result() + (Vertx.currentContext() == mine ? " on my context" : " elsewhere"));
          }
          client.close();
        });
      });
      assertEquals("42 on my context", seen.get(60, TimeUnit.SECONDS));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aServerThatCannotBeReachedFailsTasksWithConnectionLostNamingTheFix() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try (AntPoolExecutor nowhere = new AntPoolExecutor(new AntPoolOptions()
        .setUrl("ws://127.0.0.1:" + closedPort).setConnectTimeoutMillis(1_000))) {
      CompletableFuture<Integer> f = nowhere.submit(() -> 1);
      ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
      AntPoolException cause = assertInstanceOf(AntPoolException.class, e.getCause());
      assertEquals(ErrorCode.CONNECTION_LOST, cause.code());
      assertTrue(cause.getMessage().contains("ws://127.0.0.1:" + closedPort), cause.getMessage());
      assertTrue(cause.getMessage().contains("start the server"), cause.getMessage());
    }
  }

  /** Static state, to see whether it survives between tasks. */
  static final class Counter {
    private static int count;

    static synchronized int next() {
      return ++count;
    }
  }
}
