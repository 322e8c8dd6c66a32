package io.antpool.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.task.fixtures.Counter;
import io.antpool.task.fixtures.Lambdas;
import io.antpool.task.fixtures.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskClassLoader}: classes and resources come from its {@link ResourceSource} (here: the test class
 * path, standing in for the submitting client), the JDK from the platform loader, and nothing from the
 * worker's own class path. Classes it defines are distinct from the app loader's (separate static state) and
 * objects serialized by the client decode into them through {@link TaskCodec#decode}. Failures name the class
 * and the remedy.
 */
class TaskClassLoaderTest {
  private static final String GREETING = "io/antpool/task/fixtures/greeting.txt";

  /** Serves bytes from the test class path and records every path asked for. */
  private static final class ClassPathSource implements ResourceSource {
    final List<String> requested = Collections.synchronizedList(new ArrayList<>());

    @Override
    public byte[] fetch(String path) throws IOException {
      requested.add(path);
      try (InputStream in = TaskClassLoaderTest.class.getClassLoader().getResourceAsStream(path)) {
        return in == null ? null : in.readAllBytes();
      }
    }
  }

  private final ClassPathSource source = new ClassPathSource();
  private final TaskClassLoader loader = new TaskClassLoader("antpool-task-test", source);

  @Test
  void definesItsOwnCopyOfAClientClass() throws Exception {
    Class<?> copy = loader.loadClass(Counter.class.getName());

    assertNotSame(Counter.class, copy);
    assertSame(loader, copy.getClassLoader());
    assertEquals(Counter.class.getName(), copy.getName());
    assertEquals("io.antpool.task.fixtures", copy.getPackageName());
    assertNotNull(copy.getPackage());
    assertSame(copy, loader.loadClass(Counter.class.getName()), "a loader defines a class once");
    assertTrue(source.requested.contains("io/antpool/task/fixtures/Counter.class"), source.requested.toString());
  }

  @Test
  void staticStateIsSeparateFromTheAppLoaderAndFromOtherLoaders() throws Exception {
    Counter.increment();
    Counter.increment();
    Class<?> copy = loader.loadClass(Counter.class.getName());
    Class<?> otherCopy = new TaskClassLoader("other", source).loadClass(Counter.class.getName());

    assertEquals(1, copy.getMethod("increment").invoke(null));
    assertEquals(2, copy.getMethod("increment").invoke(null));
    assertEquals(1, otherCopy.getMethod("increment").invoke(null));
    assertTrue(Counter.count() >= 2, "the app loader's counter is untouched by the copies");
  }

  @Test
  void jdkClassesComeFromThePlatformWithoutAsking() throws Exception {
    assertSame(ArrayList.class, loader.loadClass("java.util.ArrayList"));
    assertSame(Callable.class, loader.loadClass("java.util.concurrent.Callable"));
    assertTrue(source.requested.isEmpty(), source.requested.toString());
  }

  @Test
  void theWorkersOwnLibrariesAreInvisible() {
    TaskClassLoader empty = new TaskClassLoader("empty", path -> null);

    assertThrows(ClassNotFoundException.class, () -> empty.loadClass("io.vertx.core.Vertx"));
    assertThrows(ClassNotFoundException.class, () -> empty.loadClass("com.fasterxml.jackson.databind.ObjectMapper"));
  }

  @Test
  void antPoolsOwnClassesComeFromTheWorkerWithoutAsking() throws Exception {
    TaskClassLoader empty = new TaskClassLoader("empty", path -> null);

    assertSame(TaskCodec.class, empty.loadClass(TaskCodec.class.getName()));
    assertSame(io.antpool.SerializableCallable.class, loader.loadClass("io.antpool.SerializableCallable"));
    assertTrue(source.requested.isEmpty(), source.requested.toString());
  }

  @Test
  void classesInSubPackagesOfAntPoolPackagesAreTheClientsLikeAnyOther() throws Exception {
    Class<?> copy = loader.loadClass(Counter.class.getName()); // io.antpool.task.fixtures is not AntPool's
    assertNotSame(Counter.class, copy);
    assertTrue(source.requested.contains("io/antpool/task/fixtures/Counter.class"), source.requested.toString());
  }

  @Test
  void decodesASerializableClassWithPrimitiveFieldsAndArraysIntoItsOwnCopy() throws Exception {
    Sample sample = new Sample(new int[] {3, 1, 4, 1, 5}, Long.MIN_VALUE, 2.5, true, int.class,
        new long[][] {{1L, 2L}, {}, {Long.MAX_VALUE}});

    Object decoded = TaskCodec.decode(TaskCodec.encodeTask(sample), loader);

    assertNotSame(Sample.class, decoded.getClass());
    assertSame(loader, decoded.getClass().getClassLoader());
    assertEquals(sample.call(), ((Callable<?>) decoded).call());
  }

  @Test
  void primitiveClassObjectsDecode() throws Exception {
    for (Class<?> primitive : new Class<?>[] {boolean.class, byte.class, char.class, short.class, int.class,
        long.class, float.class, double.class, void.class}) {
      assertSame(primitive, TaskCodec.decode(TaskCodec.encodeValue(primitive), loader));
    }
  }

  @Test
  void decodesASerializedLambdaThroughItsCapturingClass() throws Exception {
    Object decoded = TaskCodec.decode(TaskCodec.encodeTask(Lambdas.sumOf(new int[] {1, 2, 3, 4})), loader);

    assertEquals(10, ((Callable<?>) decoded).call());
    assertTrue(source.requested.contains("io/antpool/task/fixtures/Lambdas.class"), source.requested.toString());
    assertFalse(source.requested.contains("io/antpool/SerializableCallable.class"),
        "AntPool's interface comes from the worker: " + source.requested);
  }

  @Test
  void aDecodedLambdaRunsItsBodyInTheTaskLoaderWithoutSpinningAClassThere() throws Exception {
    Object decoded = TaskCodec.decode(TaskCodec.encodeTask(Lambdas.loaderName()), loader);

    assertEquals(loader.getName(), ((Callable<?>) decoded).call(), "the body ran in the loader's copy of Lambdas");
    assertFalse(decoded.getClass().isHidden(), "no lambda class was spun: " + decoded.getClass());
    assertNotSame(loader, decoded.getClass().getClassLoader());
  }

  @Test
  void aPreparedLoaderHasTheClassesDefinedButNoneInitializedAndItsLambdasLinked() throws Exception {
    Callable<?> counting = (Callable<?>) TaskCodec.decode(TaskCodec.encodeTask(Lambdas.bumpCounter()), loader);
    assertEquals(1, counting.call());
    assertEquals(2, counting.call());

    ClassPathSource nextSource = new ClassPathSource();
    TaskClassLoader next = new TaskClassLoader("antpool-task-next", nextSource);
    next.prepareLike(loader, path -> true);
    List<String> definedAhead = List.copyOf(nextSource.requested);
    Callable<?> again = (Callable<?>) TaskCodec.decode(TaskCodec.encodeTask(Lambdas.bumpCounter()), next);

    assertTrue(definedAhead.containsAll(List.of("io/antpool/task/fixtures/Lambdas.class",
        "io/antpool/task/fixtures/Counter.class")), definedAhead.toString());
    assertEquals(definedAhead, nextSource.requested, "the task found every class already defined");
    assertEquals(1, again.call(), "static state as in a fresh loader: the counter starts afresh");
    assertEquals(3, counting.call(), "the first loader counts on by itself: the loaders are separate");
  }

  @Test
  void aPreparedLoaderLeavesOutClassesItCannotHaveWithoutFetching() throws Exception {
    loader.loadClass(Counter.class.getName());
    loader.loadClass(Sample.class.getName());
    ClassPathSource nextSource = new ClassPathSource();
    TaskClassLoader next = new TaskClassLoader("antpool-task-next", nextSource);

    next.prepareLike(loader, path -> path.endsWith("/Counter.class"));

    assertEquals(List.of("io/antpool/task/fixtures/Counter.class"), nextSource.requested);
  }

  @Test
  void theLoaderKnowsWhetherAClassItDefinedHoldsStaticState() throws Exception {
    TaskCodec.decode(TaskCodec.encodeTask(Lambdas.sumOf(new int[] {1})), loader);
    assertFalse(loader.holdsStaticState(), "Lambdas has methods only");

    loader.loadClass(Counter.class.getName());
    assertTrue(loader.holdsStaticState(), "Counter counts in a static field");
  }

  @Test
  void aDecodedTaskRunsInsideTheLoader() throws Exception {
    Object decoded = TaskCodec.decode(TaskCodec.encodeTask(Lambdas.loaderName()), loader);

    assertEquals("antpool-task-test", ((Callable<?>) decoded).call());
  }

  @Test
  void resourcesAreServedFromTheSource() throws Exception {
    byte[] expected = "hello from the client class path\n".getBytes(StandardCharsets.UTF_8);

    URL url = loader.getResource(GREETING);
    assertNotNull(url);
    try (InputStream in = url.openStream()) {
      assertEquals(new String(expected, StandardCharsets.UTF_8), new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    try (InputStream in = loader.getResourceAsStream(GREETING)) {
      assertNotNull(in);
      assertEquals(new String(expected, StandardCharsets.UTF_8), new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertEquals(1, Collections.list(loader.getResources(GREETING)).size());
  }

  @Test
  void aMissingResourceIsNull() throws Exception {
    assertNull(loader.getResource("io/antpool/task/fixtures/absent.txt"));
    assertNull(loader.getResourceAsStream("io/antpool/task/fixtures/absent.txt"));
    assertFalse(loader.getResources("io/antpool/task/fixtures/absent.txt").hasMoreElements());
  }

  @Test
  void aResourceThatCannotBeFetchedIsNull() {
    TaskClassLoader broken = new TaskClassLoader("broken", path -> {
      throw new IOException("client gone");
    });

    assertNull(broken.getResource(GREETING));
  }

  @Test
  void aMissingClassIsNamedWithTheRemedy() {
    ClassNotFoundException e = assertThrows(ClassNotFoundException.class,
        () -> loader.loadClass("com.example.NotThere"));

    assertTrue(e.getMessage().contains("class com.example.NotThere"), e.getMessage());
    assertTrue(e.getMessage().contains("add the jar that holds it to the client's class path"), e.getMessage());
  }

  @Test
  void aClassCompiledForANewerJavaIsRefusedNamingTheClassBothVersionsAndTheFix() {
    int feature = Runtime.version().feature();
    int tooNew = feature + 44 + 4;
    TaskClassLoader newer = new TaskClassLoader("newer", path -> {
      byte[] bytes = source.fetch(path);
      if (bytes != null && path.equals("io/antpool/task/fixtures/Counter.class")) {
        bytes[6] = (byte) (tooNew >>> 8);
        bytes[7] = (byte) tooNew;
      }
      return bytes;
    });

    UnsupportedClassVersionError e = assertThrows(UnsupportedClassVersionError.class,
        () -> newer.loadClass(Counter.class.getName()));

    assertEquals("class " + Counter.class.getName() + " was compiled for Java " + (feature + 4) + " (class file"
        + " version " + tooNew + ") but this worker runs Java " + feature + " (class file version " + (feature + 44)
        + "): run the worker on Java " + (feature + 4) + " or newer, or compile with --release " + feature,
        e.getMessage());
    assertNull(newer.getDefinedPackage("io.antpool.task.fixtures"), "refused before anything was defined");
  }

  @Test
  void aFetchFailureBecomesClassNotFoundNamingTheCause() {
    IOException cause = new IOException("no answer for com/example/Task.class within 60000 ms");
    TaskClassLoader broken = new TaskClassLoader("broken", path -> {
      throw cause;
    });

    ClassNotFoundException e = assertThrows(ClassNotFoundException.class,
        () -> broken.loadClass("com.example.Task"));

    assertTrue(e.getMessage().contains("class com.example.Task could not be fetched from the submitting client"),
        e.getMessage());
    assertTrue(e.getMessage().contains(cause.getMessage()), e.getMessage());
    assertSame(cause, e.getCause());
  }
}
