package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.SerializableCallable;
import io.antpool.SerializableRunnable;
import io.antpool.TaskNotSerializableException;
import io.antpool.client.AntPoolExecutor;
import io.antpool.client.AntPoolOptions;
import io.antpool.it.contract.FileGate;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code map} as Python's {@code Executor.map} (order, chunksize, failures, timeout) and {@code asCompleted} as
 * {@code concurrent.futures.as_completed}, on a real server and one worker JVM with two slots.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MapAndCompletionIT {
  private static SharedPool shared;
  private static AntPoolExecutor pool;

  @TempDir
  Path gates;

  @BeforeAll
  static void startPool() throws Exception {
    shared = SharedPool.start(2);
    pool = shared.executor;
  }

  @AfterAll
  static void stopPool() {
    if (shared != null) {
      shared.close();
    }
  }

  /** The tasks the server received from the client session named {@code name}. */
  private static long submittedBy(String name) throws Exception {
    return Pool.status(shared.server).getJsonArray("clients").stream().map(JsonObject.class::cast)
        .filter(c -> name.equals(c.getString("name"))).mapToLong(c -> c.getLong("submitted")).sum();
  }

  private static AntPoolExecutor named(String name) throws InterruptedException {
    return new AntPoolExecutor(new AntPoolOptions().setUrl(Pool.url(shared.server)).setName(name));
  }

  @Test
  void mapWithAChunksizeKeepsTheOrderAndSendsOneTaskPerChunk() throws Exception {
    List<Integer> items = IntStream.rangeClosed(1, 1_000).boxed().toList();
    try (AntPoolExecutor own = named("map-chunks")) {
      List<Integer> squares = own.map((Integer x) -> x * x, items, 100).toList();

      assertEquals(items.stream().map(x -> x * x).toList(), squares);
      assertEquals(10, submittedBy("map-chunks"), "1,000 items in chunks of 100: 10 tasks");
      List<Integer> ragged = own.map((Integer x) -> -x, List.of(1, 2, 3, 4, 5, 6, 7), 3).toList();
      assertEquals(List.of(-1, -2, -3, -4, -5, -6, -7), ragged, "a last chunk shorter than the others");
      assertEquals(13, submittedBy("map-chunks"), "7 items in chunks of 3: 3 tasks");
      assertEquals(List.of(), own.map((Integer x) -> x, List.<Integer>of(), 10).toList());
      assertEquals(13, submittedBy("map-chunks"), "no items, no task");
    }
  }

  @Test
  void aChunksizeBelowOneIsRefusedAndNothingIsSent() throws Exception {
    try (AntPoolExecutor own = named("map-refused")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> own.map((Integer x) -> x, List.of(1, 2), 0));
      assertEquals("chunksize must be at least 1, not 0", e.getMessage());
      own.submit(() -> 1).get(60, TimeUnit.SECONDS);
      assertEquals(1, submittedBy("map-refused"), "only the probe task reached the server");
    }
  }

  @Test
  void aFailedItemFailsItsChunkAndTheStreamThrowsWhenItGetsThere() {
    Iterator<Integer> results = pool.map((Integer x) -> {
      if (x == 7) {
        throw new IllegalArgumentException("no sevens");
      }
      return x;
    }, IntStream.rangeClosed(1, 12).boxed().toList(), 5).iterator();

    for (int i = 1; i <= 5; i++) {
      assertEquals(i, results.next(), "the first chunk (1-5) is fine");
    }
    CompletionException e = assertThrows(CompletionException.class, results::next, "item 6 is in 7's chunk");
    IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertEquals("no sevens", cause.getMessage());
  }

  @Test
  void aMapThatOutlivesItsTimeoutThrowsTimeoutExceptionAndItsTasksAreCancelled() throws Exception {
    String gate = gates.resolve("never").toString();
    Stream<String> results = pool.map((String x) -> {
      try {
        return FileGate.waitFor(gate, x, 120_000).call(); // only the map's cancel ends it
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, List.of("a", "b"), 300, TimeUnit.MILLISECONDS, 1);

    CompletionException e = assertThrows(CompletionException.class, results::toList);
    TimeoutException timeout = assertInstanceOf(TimeoutException.class, e.getCause());
    assertTrue(timeout.getMessage().contains("within 300 MILLISECONDS"), timeout.getMessage());
    // the two waiting tasks were cancelled on the worker: both slots serve new tasks, long before the gate's
    // 120 s would have ended them
    CompletableFuture<Integer> one = pool.submit(() -> 1);
    CompletableFuture<Integer> two = pool.submit(() -> 2);
    assertEquals(3, one.get(30, TimeUnit.SECONDS) + two.get(30, TimeUnit.SECONDS));
  }

  @Test
  void asCompletedYieldsTheFuturesInTheOrderTheyFinish() throws Exception {
    Path gate = gates.resolve("open");
    CompletableFuture<String> slow = pool.submit(FileGate.waitFor(gate.toString(), "slow", 60_000));
    CompletableFuture<String> fast = pool.submit(() -> "fast");
    List<CompletableFuture<String>> order = new ArrayList<>();

    Iterator<CompletableFuture<String>> completed = AntPoolExecutor.asCompleted(List.of(slow, fast)).iterator();
    order.add(completed.next());
    assertFalse(slow.isDone(), "the gate is still shut");
    Files.createFile(gate);
    order.add(completed.next());

    assertEquals(List.of(fast, slow), order);
    assertFalse(completed.hasNext());
    assertEquals("slow", slow.get());
  }

  @Test
  void asCompletedGivesDoneFuturesAtOnceAndTimesOutOnTheRest() throws Exception {
    CompletableFuture<String> done = pool.submit(() -> "done");
    done.get(60, TimeUnit.SECONDS);
    Path gate = gates.resolve("later");
    CompletableFuture<String> waiting = pool.submit(FileGate.waitFor(gate.toString(), "late", 60_000));
    try {
      Iterator<CompletableFuture<String>> completed =
          AntPoolExecutor.asCompleted(List.of(waiting, done), 300, TimeUnit.MILLISECONDS).iterator();

      assertSame(done, completed.next());
      CompletionException e = assertThrows(CompletionException.class, completed::next);
      assertInstanceOf(TimeoutException.class, e.getCause());
      assertEquals("1 of 2 futures were not done within 300 MILLISECONDS", e.getCause().getMessage());
    } finally {
      Files.createFile(gate); // let the task end and free its slot
      assertEquals("late", waiting.get(60, TimeUnit.SECONDS));
    }
  }

  @Test
  void anExecutorCompletionServiceHandsOutTasksAsTheyFinishWithTheirOutcome() throws Exception {
    ExecutorCompletionService<String> service = new ExecutorCompletionService<>(pool);
    Path gate = gates.resolve("ecs");
    java.util.concurrent.Future<String> slow = service.submit(FileGate.waitFor(gate.toString(), "slow", 60_000));
    java.util.concurrent.Future<String> fast = service.submit((SerializableCallable<String>) () -> "fast");

    assertSame(fast, service.take());
    assertEquals("fast", fast.get());
    assertEquals(null, service.poll(200, TimeUnit.MILLISECONDS), "the slow one waits for its gate");
    Files.createFile(gate);
    assertSame(slow, service.poll(60, TimeUnit.SECONDS));
    assertEquals("slow", slow.get());

    service.submit((SerializableCallable<String>) () -> {
      throw new IllegalStateException("failed remotely");
    });
    ExecutionException failed = assertThrows(ExecutionException.class, () -> service.take().get());
    assertInstanceOf(IllegalStateException.class, failed.getCause());
    assertEquals("failed remotely", failed.getCause().getMessage());

    service.submit((SerializableRunnable) () -> { }, "fixed");
    assertEquals("fixed", service.take().get());
  }

  @Test
  void aCompletionServiceRefusesATaskThatDoesNotSerializeAtSubmit() {
    ExecutorCompletionService<Integer> service = new ExecutorCompletionService<>(pool);
    java.util.concurrent.Callable<Integer> plain = () -> 42;

    assertThrows(TaskNotSerializableException.class, () -> service.submit(plain));
  }
}
