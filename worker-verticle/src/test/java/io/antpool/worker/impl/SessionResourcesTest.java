package io.antpool.worker.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.task.ResourceSource;
import io.antpool.task.TaskClassLoader;
import io.antpool.worker.impl.fixtures.Stateless;
import io.antpool.worker.impl.fixtures.Tasks;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionResources}: each path is fetched from a session's client once, whether it was found or not,
 * however many tasks and loaders ask for it; failed fetches are not remembered; isolation mode 2 shares one
 * loader per session while 0 and 1 get a new loader per task; sessions beyond the most recent 64 are
 * forgotten.
 */
class SessionResourcesTest {
  private static final String TASKS_CLASS = Tasks.class.getName().replace('.', '/') + ".class";

  /** Serves the test class path and counts calls per (session, path). */
  private static final class CountingFetcher implements SessionResources.Fetcher {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final AtomicInteger transfers = new AtomicInteger();

    @Override
    public SessionResources.Fetched fetch(String session, int loader, String path, java.util.List<String> known)
        throws IOException {
      calls.computeIfAbsent(session + " " + path, k -> new AtomicInteger()).incrementAndGet();
      try (InputStream in = SessionResourcesTest.class.getClassLoader().getResourceAsStream(path)) {
        SessionResources.Fetched answer = SessionResources.Fetched.of(in == null ? null : in.readAllBytes());
        if (answer.found() && known.contains(answer.sha256())) {
          return new SessionResources.Fetched(null, answer.sha256(), true);
        }
        if (answer.found()) {
          transfers.incrementAndGet();
        }
        return answer;
      }
    }

    int calls(String session, String path) {
      AtomicInteger n = calls.get(session + " " + path);
      return n == null ? 0 : n.get();
    }
  }

  private final SessionResources resources = new SessionResources();
  private final CountingFetcher fetcher = new CountingFetcher();

  @Test
  void aClassIsFetchedOncePerSessionHoweverManyLoadersDefineIt() throws Exception {
    Set<Class<?>> copies = new HashSet<>();
    for (long task = 1; task <= 5; task++) {
      ClassLoader loader = resources.loaderFor("c-1", 0, 0, task, fetcher);
      copies.add(loader.loadClass(Tasks.class.getName()));
    }

    assertEquals(5, copies.size(), "each rtype 0 loader defines its own copy");
    assertEquals(1, fetcher.calls("c-1", TASKS_CLASS));

    resources.loaderFor("c-2", 0, 0, 6, fetcher).loadClass(Tasks.class.getName());
    assertEquals(1, fetcher.calls("c-2", TASKS_CLASS), "another session fetches for itself");
    assertEquals(1, fetcher.calls("c-1", TASKS_CLASS));
  }

  @Test
  void twoSlotsAskingForTheSameClassAtOnceCauseOneFetch() throws Exception {
    SessionResources resources = new SessionResources();
    AtomicInteger calls = new AtomicInteger();
    java.util.concurrent.CountDownLatch inFetch = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    SessionResources.Fetcher slow = (session, loader, path, known) -> {
      calls.incrementAndGet();
      inFetch.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new java.io.InterruptedIOException();
      }
      return SessionResources.Fetched.of(new byte[] {42});
    };
    ResourceSource first = resources.source("s", 0, slow);
    ResourceSource second = resources.source("s", 0, slow);
    java.util.concurrent.CompletableFuture<byte[]> a = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return first.fetch("p/X.class");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    inFetch.await();
    Thread waiter = new Thread(() -> {
      try {
        assertArrayEquals(new byte[] {42}, second.fetch("p/X.class"));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    waiter.start();
    while (waiter.getState() != Thread.State.WAITING && waiter.isAlive()) {
      Thread.onSpinWait(); // until the second asker blocks on the first one's fetch
    }
    release.countDown();
    waiter.join();
    assertArrayEquals(new byte[] {42}, a.get());
    assertEquals(1, calls.get(), "the second asker waited for the first fetch instead of fetching again");
  }

  @Test
  void theCachedBytesAreTheClientsBytes() throws Exception {
    byte[] expected;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(TASKS_CLASS)) {
      expected = in.readAllBytes();
    }
    ResourceSource source = resources.source("c-1", 0, fetcher);

    assertArrayEquals(expected, source.fetch(TASKS_CLASS));
    assertArrayEquals(expected, source.fetch(TASKS_CLASS));
    assertArrayEquals(expected, resources.source("c-1", 0, fetcher).fetch(TASKS_CLASS));
    assertEquals(1, fetcher.calls("c-1", TASKS_CLASS));
  }

  @Test
  void notFoundIsRememberedToo() throws Exception {
    ResourceSource source = resources.source("c-1", 0, fetcher);

    assertNull(source.fetch("com/example/Missing.class"));
    assertNull(source.fetch("com/example/Missing.class"));
    for (long task = 1; task <= 3; task++) {
      ClassLoader loader = resources.loaderFor("c-1", 0, 0, task, fetcher);
      assertThrows(ClassNotFoundException.class, () -> loader.loadClass("com.example.Missing"));
    }

    assertEquals(1, fetcher.calls("c-1", "com/example/Missing.class"));
  }

  @Test
  void aFailedFetchIsNotRemembered() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    SessionResources.Fetcher flaky = (session, loader, path, known) -> {
      if (attempts.incrementAndGet() == 1) {
        throw new IOException("no answer for " + path + " within 60000 ms");
      }
      return fetcher.fetch(session, loader, path, known);
    };
    ResourceSource source = resources.source("c-1", 0, flaky);

    assertThrows(IOException.class, () -> source.fetch(TASKS_CLASS));
    assertNotNull(source.fetch(TASKS_CLASS), "the second ask reaches the client");
    assertNotNull(source.fetch(TASKS_CLASS));
    assertEquals(2, attempts.get(), "a success is remembered");
  }

  @Test
  void isolationModeTwoSharesOneLoaderPerSession() {
    ClassLoader first = resources.loaderFor("c-1", 0, 2, 1, fetcher);

    assertSame(first, resources.loaderFor("c-1", 0, 2, 2, fetcher));
    assertNotSame(first, resources.loaderFor("c-2", 0, 2, 3, fetcher));
    assertNotSame(first, resources.loaderFor("c-1", 1, 2, 4, fetcher), "another client loader, another space");
    assertEquals("antpool-session-c-1-0", assertInstanceOf(TaskClassLoader.class, first).getName());
  }

  @Test
  void isolationModesZeroAndOneGetANewLoaderEveryTime() {
    for (int rtype : new int[] {0, 1}) {
      ClassLoader first = resources.loaderFor("c-1", 0, rtype, 10, fetcher);
      ClassLoader second = resources.loaderFor("c-1", 0, rtype, 11, fetcher);

      assertNotSame(first, second, "rtype " + rtype);
      assertNotSame(resources.loaderFor("c-1", 0, 2, 12, fetcher), first, "rtype " + rtype);
      assertEquals("antpool-task-10", assertInstanceOf(TaskClassLoader.class, first).getName());
    }
  }

  @Test
  void theLeastRecentlyUsedSpacesBeyondTwoHundredFiftySixAreForgotten() throws Exception {
    resources.source("oldest", 0, fetcher).fetch(TASKS_CLASS);
    resources.source("recent", 0, fetcher).fetch(TASKS_CLASS);
    for (int i = 0; i < 255; i++) {
      resources.source("filler-" + i, 0, fetcher);
    }

    resources.source("recent", 0, fetcher).fetch(TASKS_CLASS);
    resources.source("oldest", 0, fetcher).fetch(TASKS_CLASS);

    assertEquals(1, fetcher.calls("recent", TASKS_CLASS), "256 most recent spaces are kept");
    assertEquals(2, fetcher.calls("oldest", TASKS_CLASS), "the 257th most recent was forgotten");
    assertEquals(1, fetcher.transfers.get(), "asked again, but the bytes were known by digest");
  }

  @Test
  void anEndedSessionIsForgottenAndItsSharedLoaderReleased() throws Exception {
    ClassLoader shared = resources.loaderFor("c-1", 0, 2, 1, fetcher);
    resources.source("c-1", 0, fetcher).fetch(TASKS_CLASS);
    resources.forget("c-1");
    assertNotSame(shared, resources.loaderFor("c-1", 0, 2, 2, fetcher));
    resources.source("c-1", 0, fetcher).fetch(TASKS_CLASS);
    assertEquals(2, fetcher.calls("c-1", TASKS_CLASS));
  }

  @Test
  void identicalBytesFromAnotherSessionOrLoaderTravelOnce() throws Exception {
    byte[] first = resources.source("c-1", 0, fetcher).fetch(TASKS_CLASS);
    byte[] second = resources.source("c-2", 0, fetcher).fetch(TASKS_CLASS);
    byte[] third = resources.source("c-1", 3, fetcher).fetch(TASKS_CLASS);

    assertArrayEquals(first, second);
    assertArrayEquals(first, third);
    assertEquals(3, fetcher.calls.values().stream().mapToInt(AtomicInteger::get).sum(), "each space asks once");
    assertEquals(1, fetcher.transfers.get(), "but the bytes travelled once");
  }

  @Test
  void aChangedClassIsNeverServedStale() throws Exception {
    SessionResources.Fetcher v1 = (s, l, p, k) -> SessionResources.Fetched.of("version 1".getBytes());
    SessionResources.Fetcher v2 = (s, l, p, k) -> SessionResources.Fetched.of("version 2".getBytes());
    assertEquals("version 1", new String(resources.source("c-1", 0, v1).fetch("x/Y.class")));
    assertEquals("version 2", new String(resources.source("c-1", 1, v2).fetch("x/Y.class")), "new loader");
    assertEquals("version 2", new String(resources.source("c-9", 0, v2).fetch("x/Y.class")), "new session");
  }

  @Test
  void bytesThatDoNotMatchTheirDigestAreRefused() {
    SessionResources.Fetcher liar = (s, l, p, k) -> new SessionResources.Fetched("abc".getBytes(), "00", false);
    IOException e = assertThrows(IOException.class, () -> resources.source("c-1", 0, liar).fetch("x/Y.class"));
    assertTrue(e.getMessage().contains("arrived damaged"), e.getMessage());
  }

  private static TaskClassLoader modeZero(SessionResources resources, long task, SessionResources.Fetcher f) {
    return (TaskClassLoader) resources.loaderFor("c-1", 0, 0, task, f);
  }

  @Test
  void modeZeroKeepsALoaderWithoutStaticStateForTheNextTaskAndLendsItToOneTaskAtATime() throws Exception {
    TaskClassLoader first = modeZero(resources, 1, fetcher);
    first.loadClass(Stateless.class.getName());
    assertFalse(first.holdsStaticState());
    resources.taskDone("c-1", 0, 0, first, false);

    TaskClassLoader second = modeZero(resources, 2, fetcher);
    TaskClassLoader meanwhile = modeZero(resources, 3, fetcher);

    assertSame(first, second, "nothing in it can tell two tasks apart");
    assertNotSame(first, meanwhile, "a kept loader serves one task at a time");
  }

  @Test
  void modeZeroDropsALoaderThatDefinedAClassWithStaticState() throws Exception {
    TaskClassLoader first = modeZero(resources, 1, fetcher);
    first.loadClass(Stateless.class.getName());
    first.loadClass(Tasks.class.getName()); // counts its runs in a static field
    assertTrue(first.holdsStaticState());
    resources.taskDone("c-1", 0, 0, first, false);

    assertNotSame(first, modeZero(resources, 2, fetcher));
  }

  @Test
  void aLoaderIsNotKeptWhenTheTaskStartedThreadsOrRanInModeOneOrItsSessionEnded() throws Exception {
    TaskClassLoader threads = modeZero(resources, 1, fetcher);
    resources.taskDone("c-1", 0, 0, threads, true);
    assertNotSame(threads, modeZero(resources, 2, fetcher), "a thread it left could still define classes");

    ClassLoader modeOne = resources.loaderFor("c-1", 0, 1, 3, fetcher);
    resources.taskDone("c-1", 0, 1, modeOne, false);
    assertNotSame(modeOne, resources.loaderFor("c-1", 0, 1, 4, fetcher));
    assertNotSame(modeOne, modeZero(resources, 5, fetcher));

    TaskClassLoader ended = modeZero(resources, 6, fetcher);
    resources.forget("c-1");
    resources.taskDone("c-1", 0, 0, ended, false);
    assertNotSame(ended, modeZero(resources, 7, fetcher), "an ended session is not brought back");
  }

  @Test
  void afterAModeZeroTaskWithStaticStateAPristineLoaderIsPreparedFromTheCachedBytes() throws Exception {
    TaskClassLoader used = modeZero(resources, 1, fetcher);
    Class<?> tasks = used.loadClass(Tasks.class.getName());
    assertFalse(resources.taskDone("c-1", 0, 0, used, false), "static state: not kept");
    int fetchesBefore = fetcher.calls("c-1", TASKS_CLASS);

    resources.prepareNext("c-1", 0, used, 1, fetcher);
    TaskClassLoader prepared = modeZero(resources, 2, fetcher);

    assertEquals("antpool-task-after-1", prepared.getName());
    assertNotSame(tasks, prepared.loadClass(Tasks.class.getName()), "a copy of its own");
    assertEquals(fetchesBefore, fetcher.calls("c-1", TASKS_CLASS), "defined from the cached bytes");
    assertNotSame(prepared, modeZero(resources, 3, fetcher), "a prepared loader serves one task");
  }

  @Test
  void nothingIsPreparedForASessionThatEnded() throws Exception {
    TaskClassLoader used = modeZero(resources, 1, fetcher);
    used.loadClass(Tasks.class.getName());
    resources.forget("c-1");

    resources.prepareNext("c-1", 0, used, 1, fetcher);

    assertEquals("antpool-task-2", modeZero(resources, 2, fetcher).getName());
  }
}
