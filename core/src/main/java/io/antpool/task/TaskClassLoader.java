package io.antpool.task;

import io.antpool.task.impl.ClassFileVersion;
import io.antpool.task.impl.LambdaLinker;
import io.antpool.task.impl.StaticState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The class loader a worker runs a task in. Delegation rule:
 *
 * <ol>
 *   <li>JDK classes come from the worker's JDK (the parent is the platform class loader).</li>
 *   <li>AntPool's own classes (the packages in {@link #ANTPOOL_PACKAGES}, such as
 *       {@code io.antpool.SerializableCallable}) come from the worker's AntPool, so both sides agree on them.</li>
 *   <li>Everything else — the task's classes, the libraries it uses, resources — comes from the submitting
 *       client through a {@link ResourceSource}, on demand, as the code runs. The client wins even when the
 *       worker carries a class of the same name (another version of Jackson, say): a task behaves the same
 *       whatever libraries the worker happens to carry.</li>
 * </ol>
 *
 * <p>How long a loader lives is the isolation mode ({@code rtype}) of the task: 0 and 1 give every task a loader
 * no other task has used with static state in it, so static state never leaks between tasks; 2 keeps one
 * loader per client session.
 *
 * <p>Failures name the class and the remedy. A class the client cannot provide is a
 * {@link ClassNotFoundException} (which the JVM turns into a {@link NoClassDefFoundError} when running code
 * refers to the class). A class compiled for a newer Java than this JVM's is refused, before the JVM tries to
 * define it, with an {@link UnsupportedClassVersionError}: the JVM's own type for this, so code that handles
 * it still does, but with a message naming the class, both Java versions and the fix ("class com.x.NewJava
 * was compiled for Java 21 (class file version 65) but this worker runs Java 17 (class file version 61): run
 * the worker on Java 21 or newer, or compile with --release 17"). Either error reaches the client as the
 * task's failure.
 */
public final class TaskClassLoader extends ClassLoader {
  static {
    registerAsParallelCapable();
  }

  /** AntPool's packages, which tasks always see from the worker (exact names: sub-packages are not included). */
  public static final java.util.Set<String> ANTPOOL_PACKAGES = java.util.Set.of("io.antpool",
      "io.antpool.protocol", "io.antpool.protocol.impl", "io.antpool.task", "io.antpool.task.impl", "io.antpool.config",
      "io.antpool.client", "io.antpool.client.impl", "io.antpool.server", "io.antpool.server.impl",
      "io.antpool.worker", "io.antpool.worker.impl", "io.antpool.launcher");
  private static final ClassLoader ANTPOOL = TaskClassLoader.class.getClassLoader();

  private final ResourceSource source;
  private volatile boolean holdsStaticState;
  /** The classes this loader defined, in order (guarded by itself). */
  private final List<String> defined = new ArrayList<>();

  public TaskClassLoader(String name, ResourceSource source) {
    super(name, ClassLoader.getPlatformClassLoader());
    this.source = source;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    int dot = name.lastIndexOf('.');
    if (dot < 0 || !ANTPOOL_PACKAGES.contains(name.substring(0, dot))) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        try {
          c = ANTPOOL.loadClass(name);
        } catch (ClassNotFoundException notInThisAntPool) {
          c = findClass(name); // e.g. a class added in a newer AntPool on the client
        }
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    String path = name.replace('.', '/') + ".class";
    byte[] bytes;
    try {
      bytes = source.fetch(path);
    } catch (IOException e) {
      throw new ClassNotFoundException("class " + name + " could not be fetched from the submitting client: "
          + e.getMessage(), e);
    }
    if (bytes == null) {
      throw new ClassNotFoundException("class " + name + " is neither in the JDK nor on the submitting client's"
          + " class path; add the jar that holds it to the client's class path");
    }
    int major = ClassFileVersion.major(bytes);
    if (major > ClassFileVersion.runtimeMajor()) {
      throw new UnsupportedClassVersionError(
          ClassFileVersion.tooNewMessage(name, major, Runtime.version().feature()));
    }
    definePackageOf(name);
    if (!holdsStaticState && !StaticState.isStateless(bytes)) {
      holdsStaticState = true;
    }
    Class<?> c = defineClass(name, bytes, 0, bytes.length);
    synchronized (defined) {
      defined.add(name);
    }
    return c;
  }

  /**
   * Prepares this new, unused loader for a task like the last one {@code previous} ran: defines the classes
   * {@code previous} defined, in the same order, and links the lambdas {@code previous} rebuilt, so that the
   * task finds them ready. Nothing is initialized, so every static field and initializer is as in a fresh
   * loader: a task cannot tell a prepared loader from a fresh one, only that it starts sooner.
   *
   * <p>Classes whose bytes {@code available} does not hold without fetching are left out (the task fetches
   * them as usual if it needs them), as is any class that fails to define (the task meets the same error if it
   * needs the class).
   */
  public void prepareLike(TaskClassLoader previous, Predicate<String> available) {
    List<String> names;
    synchronized (previous.defined) {
      names = List.copyOf(previous.defined);
    }
    for (String name : names) {
      if (available.test(name.replace('.', '/') + ".class")) {
        try {
          Class<?> copy = loadClass(name);
          Class<?> original = previous.findLoadedClass(name);
          if (original != null) {
            LambdaLinker.prelink(original, copy);
          }
        } catch (ClassNotFoundException | LinkageError e) {
          // left to the task
        }
      }
    }
  }

  /**
   * Whether a class this loader defined can hold state between two tasks: a static field that is not a
   * compile-time constant, or a static initializer (see {@link StaticState}). Set before the class is defined,
   * so it is never late. A loader that holds none behaves the same for every task that uses it, which lets
   * isolation mode 0 keep it for the next task instead of defining the same classes again.
   */
  public boolean holdsStaticState() {
    return holdsStaticState;
  }

  private void definePackageOf(String className) {
    int dot = className.lastIndexOf('.');
    if (dot > 0) {
      String pkg = className.substring(0, dot);
      if (getDefinedPackage(pkg) == null) {
        try {
          definePackage(pkg, null, null, null, null, null, null, null);
        } catch (IllegalArgumentException raced) {
          // another thread defined it first: fine
        }
      }
    }
  }

  @Override
  protected URL findResource(String name) {
    byte[] bytes;
    try {
      bytes = source.fetch(name);
    } catch (IOException e) {
      return null;
    }
    if (bytes == null) {
      return null;
    }
    try {
      return new URL("antpool-task", getName(), -1, "/" + name, new BytesHandler(bytes));
    } catch (MalformedURLException e) {
      throw new IllegalStateException("cannot make a URL for resource " + name, e);
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singleton(url));
  }

  /** Serves a fetched resource's bytes through {@link URL#openStream()}. */
  private static final class BytesHandler extends URLStreamHandler {
    private final byte[] bytes;

    BytesHandler(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    protected URLConnection openConnection(URL url) {
      return new URLConnection(url) {
        @Override
        public void connect() {
          connected = true;
        }

        @Override
        public InputStream getInputStream() {
          return new ByteArrayInputStream(bytes);
        }

        @Override
        public long getContentLengthLong() {
          return bytes.length;
        }
      };
    }
  }
}
