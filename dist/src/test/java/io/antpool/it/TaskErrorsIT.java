package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.SerializableCallable;
import io.antpool.TaskNotSerializableException;
import io.antpool.client.AntPoolExecutor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code mobility's errors in real processes (a server JVM and one worker JVM with one slot, class path
 * antpool.jar only; this JVM is the client): each mistake is a typed exception with a message naming the class
 * and the fix, at {@code submit} or as the task's failure, never a hang; and the worker keeps serving after a
 * task failed.
 *
 * <p>The classes for a newer Java and for a class the client can no longer provide are compiled by this test
 * into a temporary directory, in a package of their own, and loaded through a {@link URLClassLoader} over it.
 * They must not exist on this JVM's class path: the client also answers workers from the class loader it was
 * created in, which would serve a nested test class's original bytes however the copy in the temporary
 * directory was patched or deleted.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TaskErrorsIT {
  private static ChildJvm server;
  private static SharedPool shared;
  private static AntPoolExecutor pool;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startPool() throws Exception {
    shared = SharedPool.start(1);
    server = shared.server;
    pool = shared.executor;
  }

  @AfterAll
  static void stopPool() {
    if (shared != null) {
      shared.close();
    }
  }

  /** Something a task may hold that cannot travel. */
  static final class Database {
  }

  /** A serializable task class that holds a non-serializable object. */
  static final class NightlyReport implements Callable<Integer>, Serializable {
    private static final long serialVersionUID = 1L;
    private final String name = "nightly";
    private final Database db;

    NightlyReport(Database db) {
      this.db = db;
    }

    @Override
    public Integer call() {
      return name.length() + db.hashCode();
    }
  }

  @Test
  void aPlainLambdaThroughTheExecutorServiceInterfaceIsRefusedAtSubmitWithTheFix() {
    ExecutorService es = pool;

    TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
        () -> es.submit((Callable<Integer>) () -> 1));

    assertTrue(e.getMessage().startsWith("task class " + TaskErrorsIT.class.getName() + "$$Lambda"), e.getMessage());
    assertTrue(e.getMessage().contains(" is not Serializable: implement java.io.Serializable, or submit a lambda"
        + " through AntPoolExecutor.submit(SerializableCallable) / submit(SerializableRunnable)"), e.getMessage());
  }

  @Test
  void aSerializableTaskHoldingANonSerializableFieldIsRefusedNamingTheFieldAndTheFix() {
    TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
        () -> pool.submit(new NightlyReport(new Database())));

    String db = Database.class.getName();
    String task = NightlyReport.class.getName();
    assertEquals("class " + db + ", captured by or reachable from task " + task + ", is not Serializable. Path: task "
        + task + " -> field 'db' (" + db + "). Fix: implement java.io.Serializable on " + db + ", mark field 'db'"
        + " transient (and create its value inside the task), or capture only serializable values",
        e.getMessage());
  }

  @Test
  void aClassCompiledForANewerJavaFailsTheTaskNamingBothJavaVersions() throws Exception {
    Path classes = compile("antpool.errors.newer", Map.of(
        "NewJava", "public final class NewJava { public static int answer() { return 42; } }",
        "UsesNewJava", "public final class UsesNewJava implements java.util.concurrent.Callable<Integer>,"
            + " java.io.Serializable { private static final long serialVersionUID = 1L;"
            + " public Integer call() { return NewJava.answer(); } }"));
    int workerJava = Runtime.version().feature(); // the worker runs on this same java
    int major = Math.max(65, workerJava + 44 + 1);
    Path newJava = classes.resolve("antpool/errors/newer/NewJava.class");
    byte[] bytes = Files.readAllBytes(newJava);
    bytes[6] = (byte) (major >>> 8);
    bytes[7] = (byte) major;
    Files.write(newJava, bytes);

    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        TaskErrorsIT.class.getClassLoader())) {
      Future<Integer> f = pool.submit(newTask(loader, "antpool.errors.newer.UsesNewJava"));

      ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
      UnsupportedClassVersionError cause = assertInstanceOf(UnsupportedClassVersionError.class, e.getCause());
      int classJava = major - 44;
      assertEquals("class antpool.errors.newer.NewJava was compiled for Java " + classJava + " (class file version "
          + major + ") but this worker runs Java " + workerJava + " (class file version " + (workerJava + 44)
          + "): run the worker on Java " + classJava + " or newer, or compile with --release " + workerJava,
          cause.getMessage());
    }
    assertTheWorkerStillServes();
  }

  /** Cannot be initialized: its static initializer throws. */
  static final class Misconfigured {
    static final int PORT;

    static {
      if (System.getenv("ANTPOOL_IT_NEVER_SET") == null) {
        throw new IllegalStateException("no port configured");
      }
      PORT = 1;
    }

    private Misconfigured() {
    }
  }

  @Test
  void aStaticInitializerThatThrowsFailsTheTaskNamingTheClassAndTheWorkerKeepsServing() throws Exception {
    Future<Integer> f = pool.submit(() -> Misconfigured.PORT);

    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
    NoClassDefFoundError cause = assertInstanceOf(NoClassDefFoundError.class, e.getCause());
    assertTrue(cause.getMessage().startsWith("class " + Misconfigured.class.getName() + " could not be initialized"
        + " on worker "), cause.getMessage());
    assertTrue(cause.getMessage().contains(": its static initializer threw java.lang.IllegalStateException: no port"
        + " configured; fix the initializer"), cause.getMessage());
    ExceptionInInitializerError original = assertInstanceOf(ExceptionInInitializerError.class, cause.getCause());
    assertEquals("no port configured", original.getCause().getMessage());
    assertTheWorkerStillServes();
  }

  @Test
  void aResultThatCannotBeSerializedFailsOnlyItsOwnTaskNamingItsType() throws Exception {
    CompletableFuture<Integer> before = pool.submit(() -> 1);
    CompletableFuture<Database> bad = pool.submit((SerializableCallable<Database>) Database::new);
    CompletableFuture<List<Object>> badInside = pool.submit(() -> {
      List<Object> list = new ArrayList<>();
      list.add("fine");
      list.add(new Database());
      return list;
    });
    CompletableFuture<Integer> after = pool.submit(() -> 2);

    String db = Database.class.getName();
    ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(60, TimeUnit.SECONDS));
    TaskNotSerializableException cause = assertInstanceOf(TaskNotSerializableException.class, e.getCause());
    assertEquals("the task's result of type " + db + " cannot be sent back: " + db + " is not Serializable;"
        + " return a serializable value (implement java.io.Serializable on " + db + ", or return the data it"
        + " holds)", cause.getMessage());
    ExecutionException inside = assertThrows(ExecutionException.class, () -> badInside.get(60, TimeUnit.SECONDS));
    assertTrue(inside.getCause().getMessage().startsWith("the task's result of type java.util.ArrayList cannot be"
        + " sent back: " + db + " is not Serializable (path: result java.util.ArrayList -> element [1] (" + db
        + "))"), inside.getCause().getMessage());
    assertEquals(1, before.get(60, TimeUnit.SECONDS));
    assertEquals(2, after.get(60, TimeUnit.SECONDS));
  }

  @Test
  void aClassTheClientCanNoLongerProvideFailsTheTaskNamingItAndTheWorkerKeepsServing() throws Exception {
    Path classes = compile("antpool.errors.gone", Map.of(
        "GoneHelper", "public final class GoneHelper { public static int value() { return 7; } }",
        "UsesGoneHelper", "public final class UsesGoneHelper implements java.util.concurrent.Callable<Integer>,"
            + " java.io.Serializable { private static final long serialVersionUID = 1L;"
            + " public Integer call() { return GoneHelper.value(); } }"));

    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        TaskErrorsIT.class.getClassLoader())) {
      Callable<Integer> task = newTask(loader, "antpool.errors.gone.UsesGoneHelper");
      Files.delete(classes.resolve("antpool/errors/gone/GoneHelper.class"));
      Future<Integer> f = pool.submit(task);

      ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
      NoClassDefFoundError cause = assertInstanceOf(NoClassDefFoundError.class, e.getCause());
      assertEquals("antpool/errors/gone/GoneHelper", cause.getMessage());
      ClassNotFoundException why = assertInstanceOf(ClassNotFoundException.class, cause.getCause());
      assertEquals("class antpool.errors.gone.GoneHelper is neither in the JDK nor on the submitting client's class"
          + " path; add the jar that holds it to the client's class path", why.getMessage());
    }
    assertTheWorkerStillServes();
  }

  private static void assertTheWorkerStillServes() throws Exception {
    // one worker slot in the pool: this task runs on the worker that ran the failed one
    assertEquals("still serving", pool.submit(() -> "still serving").get(60, TimeUnit.SECONDS));
  }

  @SuppressWarnings("unchecked")
  private static Callable<Integer> newTask(ClassLoader loader, String className) throws Exception {
    return (Callable<Integer>) loader.loadClass(className).getDeclaredConstructor().newInstance();
  }

  /** Compiles one class per source (each given without its package line) into a new directory. */
  private Path compile(String pkg, Map<String, String> sources) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "these tests compile classes at run time and need a JDK, not a JRE");
    Path src = Files.createDirectories(tmp.resolve("src"));
    Path out = Files.createDirectories(tmp.resolve("classes"));
    List<String> args = new ArrayList<>(List.of("-d", out.toString()));
    for (Map.Entry<String, String> s : sources.entrySet()) {
      Path file = src.resolve(s.getKey() + ".java");
      Files.writeString(file, "package " + pkg + ";\n" + s.getValue() + "\n");
      args.add(file.toString());
    }
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = javac.run(null, null, new PrintStream(errors, true, StandardCharsets.UTF_8),
        args.toArray(new String[0]));
    assertEquals(0, rc, "javac failed: " + errors.toString(StandardCharsets.UTF_8));
    return out;
  }
}
