package io.antpool.worker.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.antpool.task.ResourceSource;
import io.antpool.task.TaskClassLoader;
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

    @Override
    public byte[] fetch(String session, String path) throws IOException {
      calls.computeIfAbsent(session + " " + path, k -> new AtomicInteger()).incrementAndGet();
      try (InputStream in = SessionResourcesTest.class.getClassLoader().getResourceAsStream(path)) {
        return in == null ? null : in.readAllBytes();
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
      ClassLoader loader = resources.loaderFor("c-1", 0, task, fetcher);
      copies.add(loader.loadClass(Tasks.class.getName()));
    }

    assertEquals(5, copies.size(), "each rtype 0 loader defines its own copy");
    assertEquals(1, fetcher.calls("c-1", TASKS_CLASS));

    resources.loaderFor("c-2", 0, 6, fetcher).loadClass(Tasks.class.getName());
    assertEquals(1, fetcher.calls("c-2", TASKS_CLASS), "another session fetches for itself");
    assertEquals(1, fetcher.calls("c-1", TASKS_CLASS));
  }

  @Test
  void twoSlotsAskingForTheSameClassAtOnceCauseOneFetch() throws Exception {
    SessionResources resources = new SessionResources();
    AtomicInteger calls = new AtomicInteger();
    java.util.concurrent.CountDownLatch inFetch = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    SessionResources.Fetcher slow = (session, path) -> {
      calls.incrementAndGet();
      inFetch.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new java.io.InterruptedIOException();
      }
      return new byte[] {42};
    };
    ResourceSource first = resources.source("s", slow);
    ResourceSource second = resources.source("s", slow);
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
    ResourceSource source = resources.source("c-1", fetcher);

    assertArrayEquals(expected, source.fetch(TASKS_CLASS));
    assertArrayEquals(expected, source.fetch(TASKS_CLASS));
    assertArrayEquals(expected, resources.source("c-1", fetcher).fetch(TASKS_CLASS));
    assertEquals(1, fetcher.calls("c-1", TASKS_CLASS));
  }

  @Test
  void notFoundIsRememberedToo() throws Exception {
    ResourceSource source = resources.source("c-1", fetcher);

    assertNull(source.fetch("com/example/Missing.class"));
    assertNull(source.fetch("com/example/Missing.class"));
    for (long task = 1; task <= 3; task++) {
      ClassLoader loader = resources.loaderFor("c-1", 0, task, fetcher);
      assertThrows(ClassNotFoundException.class, () -> loader.loadClass("com.example.Missing"));
    }

    assertEquals(1, fetcher.calls("c-1", "com/example/Missing.class"));
  }

  @Test
  void aFailedFetchIsNotRemembered() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    SessionResources.Fetcher flaky = (session, path) -> {
      if (attempts.incrementAndGet() == 1) {
        throw new IOException("no answer for " + path + " within 60000 ms");
      }
      return fetcher.fetch(session, path);
    };
    ResourceSource source = resources.source("c-1", flaky);

    assertThrows(IOException.class, () -> source.fetch(TASKS_CLASS));
    assertNotNull(source.fetch(TASKS_CLASS), "the second ask reaches the client");
    assertNotNull(source.fetch(TASKS_CLASS));
    assertEquals(2, attempts.get(), "a success is remembered");
  }

  @Test
  void isolationModeTwoSharesOneLoaderPerSession() {
    ClassLoader first = resources.loaderFor("c-1", 2, 1, fetcher);

    assertSame(first, resources.loaderFor("c-1", 2, 2, fetcher));
    assertNotSame(first, resources.loaderFor("c-2", 2, 3, fetcher));
    assertEquals("antpool-session-c-1", assertInstanceOf(TaskClassLoader.class, first).getName());
  }

  @Test
  void isolationModesZeroAndOneGetANewLoaderEveryTime() {
    for (int rtype : new int[] {0, 1}) {
      ClassLoader first = resources.loaderFor("c-1", rtype, 10, fetcher);
      ClassLoader second = resources.loaderFor("c-1", rtype, 11, fetcher);

      assertNotSame(first, second, "rtype " + rtype);
      assertNotSame(resources.loaderFor("c-1", 2, 12, fetcher), first, "rtype " + rtype);
      assertEquals("antpool-task-10", assertInstanceOf(TaskClassLoader.class, first).getName());
    }
  }

  @Test
  void theLeastRecentlyUsedSessionsBeyondSixtyFourAreForgotten() throws Exception {
    resources.source("oldest", fetcher).fetch(TASKS_CLASS);
    resources.source("recent", fetcher).fetch(TASKS_CLASS);
    for (int i = 0; i < 63; i++) {
      resources.source("filler-" + i, fetcher);
    }

    resources.source("recent", fetcher).fetch(TASKS_CLASS);
    resources.source("oldest", fetcher).fetch(TASKS_CLASS);

    assertEquals(1, fetcher.calls("recent", TASKS_CLASS), "64 most recent sessions are kept");
    assertEquals(2, fetcher.calls("oldest", TASKS_CLASS), "the 65th most recent was forgotten");
  }
}
