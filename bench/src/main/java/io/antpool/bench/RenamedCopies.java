package io.antpool.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A class loader that defines copies of a family of this module's classes under a new name: every class whose
 * simple name starts with {@code from} (a top-level class and its nested classes) is defined with {@code from}
 * replaced by {@code to} throughout its class file, and its bytes are served as resources under the new name,
 * which is where AntPool's client reads the bytes it ships. The copies behave exactly as the originals, but no
 * worker has ever seen their names or their bytes (their SHA-256 differs too): each new {@code to} is a task a
 * worker must fetch from scratch, even on a pool that has run the originals for hours.
 *
 * <p>The names have the same length, so the replacement changes no length field of the class file: every
 * occurrence of the name is inside a constant-pool UTF-8 entry (class names, descriptors, the source file name).
 */
final class RenamedCopies extends ClassLoader {
  private static final String PACKAGE = "io.antpool.bench.";
  private final String from;
  private final String to;

  RenamedCopies(String from, String to) {
    super("renamed-" + to, RenamedCopies.class.getClassLoader());
    if (from.length() != to.length()) {
      throw new IllegalArgumentException("the new name must have the length of the old: " + from + ", " + to);
    }
    this.from = from;
    this.to = to;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!name.startsWith(PACKAGE + to)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        byte[] bytes = copyOf(name.replace('.', '/') + ".class");
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        c = defineClass(name, bytes, 0, bytes.length);
      }
      return c;
    }
  }

  @Override
  public InputStream getResourceAsStream(String path) {
    byte[] bytes = path.startsWith(PACKAGE.replace('.', '/') + to) ? copyOf(path) : null;
    return bytes != null ? new ByteArrayInputStream(bytes) : super.getResourceAsStream(path);
  }

  /** The renamed class file at {@code path} (a path under the new name), or null if the original has none. */
  private byte[] copyOf(String path) {
    String original = path.replace(to, from);
    try (InputStream in = getParent().getResourceAsStream(original)) {
      return in == null ? null : replace(in.readAllBytes(), from.getBytes(StandardCharsets.US_ASCII),
          to.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + original, e);
    }
  }

  private static byte[] replace(byte[] bytes, byte[] a, byte[] b) {
    byte[] out = bytes.clone();
    outer:
    for (int i = 0; i + a.length <= out.length; i++) {
      for (int j = 0; j < a.length; j++) {
        if (out[i + j] != a[j]) {
          continue outer;
        }
      }
      System.arraycopy(b, 0, out, i, b.length);
      i += a.length - 1;
    }
    return out;
  }

  /**
   * The task {@code factory(seed)} of a fresh copy of class {@code from} named {@code to}: calls the static
   * method {@code factory(int)} of the copy.
   */
  static Object task(String from, String to, String factory, int seed) throws ReflectiveOperationException {
    Class<?> copy = new RenamedCopies(from, to).loadClass(PACKAGE + to);
    java.lang.reflect.Method make = copy.getDeclaredMethod(factory, int.class);
    make.setAccessible(true);
    return make.invoke(null, seed);
  }
}
