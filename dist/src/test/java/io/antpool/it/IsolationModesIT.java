package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.client.AntPoolExecutor;
import io.antpool.client.AntPoolOptions;
import io.antpool.it.isolation.CountingTask;
import io.antpool.it.isolation.JvmFigures;
import io.antpool.it.isolation.MeasureJvm;
import io.antpool.it.isolation.SessionLoad;
import io.antpool.it.isolation.StatelessTasks;
import io.antpool.it.isolation.TrivialTasks;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The isolation modes ({@code rtype}) seen through a class's static state, on one worker JVM with one slot and
 * one task in flight; and the class loaders the modes leave behind, which must become garbage: a worker that
 * runs tasks for days must not keep the classes of every task or every ended session.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class IsolationModesIT {
  /** The most loaded classes may grow between two measurements: far fewer than one per task. */
  private static final long CLASS_GROWTH_BOUND = 2_000;
  private static final long HEAP_GROWTH_BOUND = 64L * 1024 * 1024;
  private static ChildJvm server;
  private static ChildJvm worker;
  private static String url;

  @BeforeAll
  static void startPool() throws Exception {
    server = Pool.server();
    worker = Pool.worker(server, 1);
    url = Pool.url(server);
  }

  @AfterAll
  static void stopPool() {
    for (ChildJvm p : new ChildJvm[] {worker, server}) {
      if (p != null) {
        p.close();
      }
    }
  }

  /** Runs {@link CountingTask} {@code times} times, one after the other, and returns its answers. */
  private static List<String> count(AntPoolExecutor executor, int times) throws Exception {
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      answers.add(executor.submit(new CountingTask()).get(60, TimeUnit.SECONDS));
    }
    return answers;
  }

  private static int countIn(String answer) {
    return Integer.parseInt(answer.substring(0, answer.indexOf('@')));
  }

  private static String loaderIn(String answer) {
    return answer.substring(answer.indexOf('@') + 1);
  }

  @Test
  void modeZeroGivesEveryTaskOfAClassWithStaticStateAFreshLoader() throws Exception {
    try (AntPoolExecutor executor = new AntPoolExecutor(url, 1, 0)) {
      List<String> answers = count(executor, 3);
      for (String a : answers) {
        assertEquals(1, countIn(a), "static state starts afresh in every task: " + answers);
        assertTrue(loaderIn(a).startsWith("antpool-task-"), a);
      }
      assertEquals(3, answers.stream().map(IsolationModesIT::loaderIn).distinct().count(), "3 loaders: " + answers);
    }
  }

  /** Runs {@link StatelessTasks#whereAmI} {@code times} times, one after the other; returns the loader names. */
  private static List<String> whereAmI(AntPoolExecutor executor, int times) throws Exception {
    List<String> loaders = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      loaders.add(loaderIn(executor.submit(StatelessTasks.whereAmI()).get(60, TimeUnit.SECONDS)));
    }
    return loaders;
  }

  /**
   * Classes without static state cannot carry anything from one task to the next, so mode 0 keeps their loader
   * (and the code the JIT compiled in it); mode 1 still drops it after every task.
   */
  @Test
  void modeZeroKeepsALoaderWhoseClassesHoldNoStaticStateAndModeOneDoesNot() throws Exception {
    List<String> zero;
    try (AntPoolExecutor executor = new AntPoolExecutor(url, 1, 0)) {
      zero = whereAmI(executor, 3);
    }
    assertEquals(1, zero.stream().distinct().count(), "one loader for the three tasks: " + zero);
    assertTrue(zero.get(0).startsWith("antpool-task-"), zero.toString());

    List<String> one;
    try (AntPoolExecutor executor = new AntPoolExecutor(url, 1, 1)) {
      one = whereAmI(executor, 3);
    }
    assertEquals(3, one.stream().distinct().count(), "3 loaders: " + one);
  }

  @Test
  void modeOneDropsTheLoaderAfterEveryTask() throws Exception {
    try (AntPoolExecutor executor = new AntPoolExecutor(url, 1, 1)) {
      List<String> answers = count(executor, 3);
      for (String a : answers) {
        assertEquals(1, countIn(a), "static state does not outlive a task: " + answers);
        assertTrue(loaderIn(a).startsWith("antpool-task-"), a);
      }
      assertEquals(3, answers.stream().map(IsolationModesIT::loaderIn).distinct().count(), "3 loaders: " + answers);
    }
  }

  @Test
  void modeTwoKeepsStaticStateForTheSessionAndANewSessionStartsAfresh() throws Exception {
    List<String> first;
    try (AntPoolExecutor executor = new AntPoolExecutor(url, 1, 2)) {
      first = count(executor, 3);
    }
    assertEquals(List.of(1, 2, 3), first.stream().map(IsolationModesIT::countIn).toList(),
        "one loader for the whole session keeps the counter: " + first);
    assertEquals(1, first.stream().map(IsolationModesIT::loaderIn).distinct().count(), first.toString());
    assertTrue(loaderIn(first.get(0)).startsWith("antpool-session-"), first.toString());

    List<String> second;
    try (AntPoolExecutor executor = new AntPoolExecutor(url, 1, 2)) {
      second = count(executor, 2);
    }
    assertEquals(List.of(1, 2), second.stream().map(IsolationModesIT::countIn).toList(),
        "a new executor is a new session with a loader of its own: " + second);
    assertTrue(loaderIn(second.get(0)).startsWith("antpool-session-"), second.toString());
    assertNotEquals(loaderIn(first.get(0)), loaderIn(second.get(0)));
  }

  /** Submits {@code n} trivial tasks at once and checks every answer. */
  private static void runTrivial(AntPoolExecutor executor, int n) throws Exception {
    List<CompletableFuture<Integer>> futures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      futures.add(executor.submit(TrivialTasks.plusOne(i)));
    }
    for (int i = 0; i < n; i++) {
      assertEquals(i + 1, futures.get(i).get(120, TimeUnit.SECONDS), "task " + i);
    }
  }

  private static JvmFigures measure(AntPoolExecutor executor) throws Exception {
    return executor.submit(new MeasureJvm()).get(60, TimeUnit.SECONDS);
  }

  private static double seconds(long fromNanos) {
    return (System.nanoTime() - fromNanos) / 1e9;
  }

  /**
   * A worker of its own (behind a server of its own), so that its figures reflect this test alone; two slots,
   * one per core, to get through the tasks sooner.
   */
  @Test
  void tenThousandModeZeroTasksLeaveNoClassesOrHeapBehind() throws Exception {
    long testStart = System.nanoTime();
    try (ChildJvm ownServer = Pool.server(); ChildJvm ownWorker = Pool.worker(ownServer, 2);
        AntPoolExecutor executor = new AntPoolExecutor(Pool.url(ownServer), 64, 0)) {
      long start = System.nanoTime();
      runTrivial(executor, 1_000);
      System.out.printf("[IsolationModesIT] mode 0: 1,000 warm-up tasks took %.1f s%n", seconds(start));
      JvmFigures warm = measure(executor);
      long tenThousand = System.nanoTime();
      runTrivial(executor, 10_000);
      System.out.printf("[IsolationModesIT] mode 0: 10,000 tasks took %.1f s%n", seconds(tenThousand));
      JvmFigures after = measure(executor);
      String growth = JvmFigures.describeGrowth(warm, after);
      System.out.println("[IsolationModesIT] mode 0, worker after 1,000 then after 11,000 tasks: " + growth);
      System.out.printf("[IsolationModesIT] mode 0 leak test so far, JVM start-up included: %.1f s%n",
          seconds(testStart));
      assertTrue(after.totalLoadedClasses() - warm.totalLoadedClasses() >= 10_000,
          "every mode-0 task defines its classes afresh: " + growth);
      assertTrue(after.loadedClasses() - warm.loadedClasses() <= CLASS_GROWTH_BOUND,
          "the classes of finished mode-0 tasks must be unloadable: " + growth);
      assertTrue(after.heapUsed() - warm.heapUsed() <= HEAP_GROWTH_BOUND,
          "finished mode-0 tasks must leave no heap behind: " + growth);
    }
  }

  /** Opens a mode-2 session, makes its loader define a few hundred classes, and closes the session. */
  private static int oneSession(Vertx vertx, String url, int id) throws Exception {
    try (AntPoolExecutor session = new AntPoolExecutor(vertx, new AntPoolOptions().setUrl(url).setMaxWorkers(1)
        .setRtype(2))) {
      String answer = session.submit(new SessionLoad(id)).get(60, TimeUnit.SECONDS);
      String[] parts = answer.split(" ");
      assertEquals("{\"items\":[1,2,3],\"session\":" + id + "}", parts[1], answer);
      assertTrue(parts[2].startsWith("antpool-session-"), answer);
      return Integer.parseInt(parts[0]);
    }
  }

  /**
   * Mode 2 keeps a loader per session; once the session's executor is closed, nothing can use that loader
   * again, so its classes must become unloadable.
   */
  @Test
  void theLoadersOfClosedModeTwoSessionsBecomeGarbage() throws Exception {
    int sessions = 10;
    Vertx vertx = Vertx.vertx();
    try (ChildJvm ownServer = Pool.server(); ChildJvm ownWorker = Pool.worker(ownServer, 1);
        AntPoolExecutor probe = new AntPoolExecutor(vertx, new AntPoolOptions().setUrl(Pool.url(ownServer))
            .setMaxWorkers(1))) {
      String ownUrl = Pool.url(ownServer);
      long start = System.nanoTime();
      int perSession = oneSession(vertx, ownUrl, 0);
      JvmFigures warm = measure(probe);
      for (int i = 1; i <= sessions; i++) {
        perSession = Math.min(perSession, oneSession(vertx, ownUrl, i));
      }
      JvmFigures after = measure(probe);
      String growth = JvmFigures.describeGrowth(warm, after);
      System.out.printf("[IsolationModesIT] mode 2: %d closed sessions, each loading at least %d classes, took"
          + " %.1f s; worker after 1 and after %d closed sessions: %s%n", sessions, perSession, seconds(start),
          sessions + 1, growth);
      assertTrue((long) perSession * sessions > 2 * CLASS_GROWTH_BOUND,
          "each session loads enough classes for a leak to show: " + perSession);
      assertTrue(after.loadedClasses() - warm.loadedClasses() <= CLASS_GROWTH_BOUND,
          "the classes of closed mode-2 sessions must be unloadable (a worker must let go of a session's loader"
              + " and its fetched bytes once the session has ended): " + growth);
      assertTrue(after.heapUsed() - warm.heapUsed() <= HEAP_GROWTH_BOUND,
          "closed mode-2 sessions must leave no heap behind: " + growth);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
