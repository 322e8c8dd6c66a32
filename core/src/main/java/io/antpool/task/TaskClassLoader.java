package io.antpool.task;

import io.antpool.task.impl.ClassFileVersion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The class loader a worker runs a task in. Its parent is the JDK's platform class loader, so a task sees the
 * JDK and nothing of the worker's own class path (not AntPool, not Vert.x, not the worker's Jackson): every
 * other class and resource comes from the submitting client through a {@link ResourceSource}, on demand, as
 * the code runs. A task therefore behaves the same whatever libraries the worker happens to carry.
 *
 * <p>How long a loader lives is the isolation mode ({@code rtype}) of the task: 0 and 1 use a new loader per
 * task, so static state never leaks between tasks; 2 keeps one loader per client session.
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

  private final ResourceSource source;

  public TaskClassLoader(String name, ResourceSource source) {
    super(name, ClassLoader.getPlatformClassLoader());
    this.source = source;
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
    return defineClass(name, bytes, 0, bytes.length);
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
