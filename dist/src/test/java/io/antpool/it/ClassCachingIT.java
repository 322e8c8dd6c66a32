package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.client.AntPoolExecutor;
import io.antpool.it.caching.VersionedGreeting;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class bytes travel once per worker JVM: a second task, or a second client sending identical bytes, causes no
 * second transfer (counted by the server's status API); a class changed on the client is never served stale.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClassCachingIT {
  private static ChildJvm server;
  private static ChildJvm worker;

  @BeforeAll
  static void startPool() throws Exception {
    server = Pool.server();
    worker = Pool.worker(server, 1);
  }

  @AfterAll
  static void stopPool() {
    if (worker != null) {
      worker.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static JsonObject classes() throws Exception {
    return Pool.status(server).getJsonObject("classes");
  }

  @Test
  void identicalBytesTravelOnceAndAChangedClassIsNeverStale(@TempDir Path dir) throws Exception {
    JsonObject before = classes();
    try (AntPoolExecutor first = new AntPoolExecutor(Pool.url(server))) {
      assertEquals("greeting-v1", first.submit(new VersionedGreeting()).get(60, TimeUnit.SECONDS));
      JsonObject afterFirst = classes();
      long transfers = afterFirst.getLong("transfers") - before.getLong("transfers");
      assertTrue(transfers >= 1, "the first task's class travelled: " + afterFirst);

      assertEquals("greeting-v1", first.submit(new VersionedGreeting()).get(60, TimeUnit.SECONDS));
      assertEquals(afterFirst, classes(), "a second task of the same session asks for nothing");

      // A second client (a new session) with identical bytes: asked again, but nothing travels.
      try (AntPoolExecutor second = new AntPoolExecutor(Pool.url(server))) {
        assertEquals("greeting-v1", second.submit(new VersionedGreeting()).get(60, TimeUnit.SECONDS));
        JsonObject afterSecond = classes();
        assertTrue(afterSecond.getLong("fetches") > afterFirst.getLong("fetches"), afterSecond.encode());
        assertEquals(afterFirst.getLong("transfers"), afterSecond.getLong("transfers"),
            "identical bytes were not transferred again: " + afterSecond);
        assertTrue(afterSecond.getLong("cacheHits") > afterFirst.getLong("cacheHits"), afterSecond.encode());

        // The same class name with new bytes, from another class loader of the same client.
        try (URLClassLoader changed = changedGreeting(dir)) {
          Callable<?> v2 = (Callable<?>) changed.loadClass(VersionedGreeting.class.getName())
              .getConstructor().newInstance();
          assertEquals("greeting-v2", v2.call(), "the rewritten class says v2 locally");
          assertEquals("greeting-v2", second.submit(v2).get(60, TimeUnit.SECONDS), "and on the worker");
          assertTrue(classes().getLong("transfers") > afterSecond.getLong("transfers"), "new bytes travelled");
          assertEquals("greeting-v1", second.submit(new VersionedGreeting()).get(60, TimeUnit.SECONDS),
              "the first version is still served for its own loader");
        }
      }
    }
  }

  @Test
  void jdkAndAntPoolClassesComeFromTheWorkerAndUserClassesFromTheClient() throws Exception {
    try (AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server))) {
      String where = pool.submit(() -> String.join(",",
          String.valueOf(String.class.getClassLoader()),
          io.antpool.SerializableCallable.class.getClassLoader().getName(),
          VersionedGreeting.class.getClassLoader().getName())).get(60, TimeUnit.SECONDS);
      String[] parts = where.split(",");
      assertEquals("null", parts[0], "JDK classes: the worker's boot loader");
      assertEquals("app", parts[1], "AntPool's own classes: the worker's application class path");
      assertTrue(parts[2].startsWith("antpool-task-"), "user classes: a task loader fed by the client: " + where);
    }
  }

  /** A loader that defines VersionedGreeting from a copy of its class file whose "v1" reads "v2". */
  private static URLClassLoader changedGreeting(Path dir) throws Exception {
    String path = VersionedGreeting.class.getName().replace('.', '/') + ".class";
    byte[] bytes;
    try (InputStream in = ClassCachingIT.class.getClassLoader().getResourceAsStream(path)) {
      bytes = in.readAllBytes();
    }
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("greeting-v1"));
    byte[] patched = text.replace("greeting-v1", "greeting-v2").getBytes(StandardCharsets.ISO_8859_1);
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, patched);
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, ClassCachingIT.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.equals(VersionedGreeting.class.getName())) {
          return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
          Class<?> c = findLoadedClass(name);
          return c != null ? c : findClass(name); // child first, for this one class
        }
      }
    };
  }
}
